import type { SimRepository } from '../../core/world/world-model';
import { canRead, canWrite, isAdmin } from './github-access';
import { errorBody } from './github-responses';
import { json, type RestContext, type RestResult } from './github-rest-types';
import type { RepositoryPermissions } from './serializers';

export function notFound(): RestResult {
  return json(errorBody(404, 'Not Found'), 404);
}

export function requiresAuthentication(): RestResult {
  return json(errorBody(401, 'Requires authentication'), 401);
}

/** The repository in the path when the viewer may see it; invisible and missing look the same (404). */
export function visibleRepository(ctx: RestContext): SimRepository | undefined {
  const repo = ctx.world.repository(ctx.params.owner, ctx.params.repo);
  return repo && canRead(ctx.world, ctx.viewer, repo) ? repo : undefined;
}

export function permissionsOf(ctx: RestContext, repo: SimRepository): RepositoryPermissions | null {
  if (ctx.viewer.kind !== 'user') return null;
  const admin = isAdmin(ctx.world, ctx.viewer, repo) && canWrite(ctx.world, ctx.viewer, repo);
  const push = canWrite(ctx.world, ctx.viewer, repo);
  return { admin, maintain: admin, push, triage: push, pull: true };
}

export function queryParam(ctx: RestContext, name: string): string | undefined {
  const value = ctx.url.searchParams.get(name);
  return value === null || value === '' ? undefined : value;
}

/** `since` filters compare ISO timestamps; an unparsable value is ignored as GitHub's validation would reject it. */
export function sinceFilter(ctx: RestContext): (updatedAt: string) => boolean {
  const since = queryParam(ctx, 'since');
  const at = since === undefined ? Number.NaN : Date.parse(since);
  return Number.isNaN(at) ? () => true : (updatedAt) => Date.parse(updatedAt) >= at;
}

export function compareBy<T>(key: (item: T) => string | number, direction: 'asc' | 'desc'): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return direction === 'asc' ? order : -order;
  };
}

export function direction(ctx: RestContext, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const value = queryParam(ctx, 'direction');
  return value === 'asc' || value === 'desc' ? value : fallback;
}
