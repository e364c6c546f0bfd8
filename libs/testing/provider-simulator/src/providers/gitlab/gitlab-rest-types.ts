import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/clock';
import type { RefCache } from '../../core/git/ref-cache';
import type { HeaderMap } from '../../core/http-io';
import type { GitlabAccess, GitlabViewer, ScopeRule } from './gitlab-access';
import type { GitlabContext } from './gitlab-context';
import type { GitlabWorld } from './gitlab-model';
import type { GitlabEndpointBudget } from './gitlab-rate-limits';
import type { GitlabSerializerContext } from './gitlab-serializers';

/** The REST API lives under this prefix, on gitlab.com and self-managed instances alike. */
export const GITLAB_API_PREFIX = '/api/v4';

export interface GitlabRouteContext {
  gl: GitlabWorld;
  access: GitlabAccess;
  viewer: GitlabViewer;
  params: Record<string, string>;
  /** The absolute request URL as the client sent it. */
  url: URL;
  ser: GitlabSerializerContext;
  refs: RefCache;
  clock: Clock;
  /** The request itself, for routes that read a body (writes). */
  req: IncomingMessage;
  /** The provider's services (git, storage, ids), for routes that write. */
  provider: GitlabContext;
}

export type GitlabResult =
  | { kind: 'json'; status: number; body: unknown; headers?: HeaderMap }
  /** An offset-paginated listing: only the requested page is rendered. */
  | { kind: 'offset'; total: number; render(start: number, end: number): Promise<unknown[]> }
  /** A page already cut (keyset pagination), with its headers. */
  | { kind: 'page'; body: unknown[]; headers: HeaderMap }
  | { kind: 'bytes'; body: Buffer; contentType: string; fileName: string };

export interface GitlabRoute {
  /** Which token scopes may call it (`any`: every scope, as for the token's own details). */
  scopes: ScopeRule;
  /** The header-less application limit the endpoint also draws from, if any. */
  budget?: GitlabEndpointBudget;
  /** Anonymous callers get 401 instead of the public view. */
  requiresUser?: boolean;
  handler(ctx: GitlabRouteContext): Promise<GitlabResult> | GitlabResult;
}

export function json(body: unknown, status = 200, headers?: HeaderMap): GitlabResult {
  return { kind: 'json', status, body, headers };
}

export function notFound(what?: string): GitlabResult {
  return json({ message: what ? `404 ${what} Not Found` : '404 Not found' }, 404);
}

export function forbidden(): GitlabResult {
  return json({ message: '403 Forbidden' }, 403);
}

export function badRequest(message: string): GitlabResult {
  return json({ error: message }, 400);
}

export function offset<T>(items: T[], render: (item: T) => unknown): GitlabResult {
  return { kind: 'offset', total: items.length, render: async (start, end) => items.slice(start, end).map(render) };
}

export function offsetAsync<T>(items: T[], render: (page: T[]) => Promise<unknown[]>): GitlabResult {
  return { kind: 'offset', total: items.length, render: (start, end) => render(items.slice(start, end)) };
}
