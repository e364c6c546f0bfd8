import type { HttpRouter } from '../../core/http-router';
import { canRead } from './github-access';
import { notFound, permissionsOf, queryParam, requiresAuthentication, compareBy, direction } from './github-route-helpers';
import { json, list, type RestContext, type RestRoute } from './github-rest-types';
import { rateLimitHeaders } from './github-responses';
import { membership, organizationFull, organizationSimple, privateUser, repository } from './serializers';

const ORG_READ_SCOPES = 'admin:org, read:org, repo, user, write:org';

/** Accounts, organizations and the rate-limit endpoint. */
export function registerAccountRoutes(router: HttpRouter<RestRoute>): void {
  router.add('GET', '/user', {
    resource: 'core',
    acceptedScopes: '',
    handler: async (ctx) => (ctx.viewer.kind === 'user' ? json(privateUser(ctx.ser, ctx.viewer.user)) : requiresAuthentication()),
  });

  router.add('GET', '/rate_limit', {
    resource: 'core',
    free: true,
    acceptedScopes: '',
    handler: async (ctx) => {
      const describe = (resource: 'core' | 'search' | 'graphql'): Record<string, number> => {
        const d = ctx.limits.peekPrimary(ctx.viewer, resource);
        return { limit: d.limit, used: d.used, remaining: Math.max(0, d.limit - d.used), reset: Math.ceil(d.resetAtMs / 1000) };
      };
      const core = describe('core');
      return {
        kind: 'json',
        status: 200,
        body: { resources: { core, search: describe('search'), graphql: describe('graphql') }, rate: core },
        headers: rateLimitHeaders(ctx.limits.peekPrimary(ctx.viewer, 'core'), 'core'),
      };
    },
  });

  router.add('GET', '/user/orgs', {
    resource: 'core',
    acceptedScopes: ORG_READ_SCOPES,
    handler: async (ctx) => {
      const viewer = ctx.viewer;
      if (viewer.kind !== 'user') return requiresAuthentication();
      const orgs = ctx.world.organizations().filter((o) => o.members.has(viewer.user.id) && fineGrainedSeesOrg(ctx, o.login));
      return list(orgs, (o) => organizationSimple(ctx.ser, o));
    },
  });

  router.add('GET', '/orgs/{org}', {
    resource: 'core',
    acceptedScopes: '',
    handler: async (ctx) => {
      const org = ctx.world.organization(ctx.params.org);
      if (!org) return notFound();
      const member = ctx.viewer.kind === 'user' && org.members.has(ctx.viewer.user.id) && fineGrainedSeesOrg(ctx, org.login);
      return json(organizationFull(ctx.ser, org, member));
    },
  });

  router.add('GET', '/orgs/{org}/repos', {
    resource: 'core',
    acceptedScopes: '',
    handler: async (ctx) => {
      const org = ctx.world.organization(ctx.params.org);
      if (!org) return notFound();
      const type = queryParam(ctx, 'type') ?? 'all';
      const sort = queryParam(ctx, 'sort') ?? 'created';
      const repos = ctx.world
        .repositoriesOf(org.login)
        .filter((r) => canRead(ctx.world, ctx.viewer, r))
        .filter((r) => (type === 'public' ? !r.private : type === 'private' ? r.private : type === 'forks' ? false : true));
      const key = (r: (typeof repos)[number]): string | number =>
        sort === 'full_name' ? r.name.toLowerCase() : sort === 'updated' ? r.updatedAt : sort === 'pushed' ? r.pushedAt : r.id;
      repos.sort(compareBy(key, direction(ctx, sort === 'full_name' ? 'asc' : 'desc')));
      return list(repos, (r) => repository(ctx.ser, r, permissionsOf(ctx, r), false));
    },
  });

  // Membership checks: members see the answer; anyone else is redirected to the public list, as on GitHub.
  router.add('GET', '/orgs/{org}/members/{username}', {
    resource: 'core',
    acceptedScopes: ORG_READ_SCOPES,
    handler: async (ctx) => {
      const org = ctx.world.organization(ctx.params.org);
      if (!org) return notFound();
      const viewer = ctx.viewer;
      if (viewer.kind !== 'user' || !org.members.has(viewer.user.id) || !fineGrainedSeesOrg(ctx, org.login)) {
        const location = `${ctx.ser.api}/orgs/${org.login}/public_members/${encodeURIComponent(ctx.params.username)}`;
        return { kind: 'empty', status: 302, headers: { location } };
      }
      const user = ctx.world.user(ctx.params.username);
      return user && org.members.has(user.id) ? { kind: 'empty', status: 204 } : notFound();
    },
  });

  // Seeded memberships are private (GitHub's default), so the public list never confirms one.
  router.add('GET', '/orgs/{org}/public_members/{username}', {
    resource: 'core',
    acceptedScopes: '',
    handler: async () => notFound(),
  });

  router.add('GET', '/user/memberships/orgs/{org}', {
    resource: 'core',
    acceptedScopes: ORG_READ_SCOPES,
    handler: async (ctx) => {
      const viewer = ctx.viewer;
      if (viewer.kind !== 'user') return requiresAuthentication();
      const org = ctx.world.organization(ctx.params.org);
      const role = org?.members.get(viewer.user.id);
      if (!org || !role || !fineGrainedSeesOrg(ctx, org.login)) return notFound();
      return json(membership(ctx.ser, org, viewer.user, role));
    },
  });
}

/** A fine-grained token sees only the organizations it was granted; classic tokens see all of the user's. */
function fineGrainedSeesOrg(ctx: RestContext, login: string): boolean {
  const viewer = ctx.viewer;
  return viewer.kind === 'user' && (viewer.credential.kind === 'classic' || viewer.credential.organizations.includes(login.toLowerCase()));
}
