import type { OrganizationRole, SimOrganization, SimUser } from '../../../core/world/world-model';
import type { Json, SerializerContext } from './serializer-context';

/** GitHub's legacy global node ids: base64 of `0{len}:{Type}{id}`. */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}

export function simpleUser(ctx: SerializerContext, user: SimUser | SimOrganization, type: 'User' | 'Organization' = 'User'): Json {
  const api = `${ctx.api}/users/${user.login}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(type, user.id),
    avatar_url: `${ctx.web}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${ctx.web}/${user.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function userById(ctx: SerializerContext, id: number): Json | null {
  const user = ctx.world.userById(id);
  return user ? simpleUser(ctx, user) : null;
}

export function privateUser(ctx: SerializerContext, user: SimUser): Json {
  const owned = ctx.world.repositoriesOf(user.login);
  return {
    ...simpleUser(ctx, user),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: user.email,
    notification_email: user.email,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: owned.filter((r) => !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.createdAt,
    private_gists: 0,
    total_private_repos: owned.filter((r) => r.private).length,
    owned_private_repos: owned.filter((r) => r.private).length,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: true,
    plan: { name: 'free', space: 976562499, collaborators: 0, private_repos: 10000 },
  };
}

export function organizationSimple(ctx: SerializerContext, org: SimOrganization): Json {
  const api = `${ctx.api}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${ctx.web}/avatars/u/${org.id}?v=4`,
    description: org.description,
  };
}

export function organizationFull(ctx: SerializerContext, org: SimOrganization, viewerIsMember: boolean): Json {
  const repos = ctx.world.repositoriesOf(org.login);
  const body: Json = {
    ...organizationSimple(ctx, org),
    name: org.name,
    company: null,
    blog: '',
    location: null,
    email: null,
    twitter_username: null,
    is_verified: false,
    has_organization_projects: true,
    has_repository_projects: true,
    public_repos: repos.filter((r) => !r.private).length,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${ctx.web}/${org.login}`,
    type: 'Organization',
    created_at: org.createdAt,
    updated_at: org.createdAt,
    archived_at: null,
  };
  if (viewerIsMember) {
    Object.assign(body, {
      total_private_repos: repos.filter((r) => r.private).length,
      owned_private_repos: repos.filter((r) => r.private).length,
      collaborators: 0,
      default_repository_permission: org.memberPermission,
      members_can_create_repositories: true,
      two_factor_requirement_enabled: false,
      plan: { name: 'team', space: 976562499, private_repos: 999999, filled_seats: org.members.size, seats: org.members.size },
    });
  }
  return body;
}

export function membership(ctx: SerializerContext, org: SimOrganization, user: SimUser, role: OrganizationRole): Json {
  return {
    url: `${ctx.api}/orgs/${org.login}/memberships/${user.login}`,
    state: 'active',
    role,
    organization_url: `${ctx.api}/orgs/${org.login}`,
    organization: organizationSimple(ctx, org),
    user: simpleUser(ctx, user),
  };
}
