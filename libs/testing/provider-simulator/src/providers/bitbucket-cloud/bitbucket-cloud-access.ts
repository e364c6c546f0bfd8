import type { World } from '../../core/world/world';
import type { SimRepository } from '../../core/world/world-model';
import type { BitbucketCloudViewer } from './bitbucket-cloud-auth';
import type { BitbucketCloudDirectory } from './bitbucket-cloud-directory';
import { checkOAuthScope } from './bitbucket-cloud-oauth';

/**
 * A privilege an endpoint needs, in both of Bitbucket Cloud's scope languages: API tokens carry
 * Atlassian scopes (`read:repository:bitbucket`, none implies another), access tokens OAuth-style
 * ones (`repository`, `pullrequest`, … with implications). `accessToken: null`: access tokens may
 * not call the endpoint at all.
 */
export interface ScopeNeed {
  apiToken: string;
  /** Any one of these (after implications) will do; empty: no scope needed. */
  accessToken: string[] | null;
}

export const NEEDS = {
  user: { apiToken: 'read:user:bitbucket', accessToken: null },
  workspace: { apiToken: 'read:workspace:bitbucket', accessToken: [] },
  repository: { apiToken: 'read:repository:bitbucket', accessToken: ['repository'] },
  repositoryWrite: { apiToken: 'write:repository:bitbucket', accessToken: ['repository:write'] },
  pullrequest: { apiToken: 'read:pullrequest:bitbucket', accessToken: ['pullrequest'] },
  // The `repository` scope includes viewing the issue tracker (Bitbucket's scope reference); access tokens cannot hold `issue`.
  issue: { apiToken: 'read:issue:bitbucket', accessToken: ['issue', 'repository'] },
  // Writes (Bitbucket's description names these scopes per operation).
  repositoryAdmin: { apiToken: 'admin:repository:bitbucket', accessToken: ['repository:admin'] },
  pullrequestWrite: { apiToken: 'write:pullrequest:bitbucket', accessToken: ['pullrequest:write'] },
  // Issue writes are for API tokens only (x-atlassian-auth-types: api-token): access tokens cannot hold issue scopes.
  issueWrite: { apiToken: 'write:issue:bitbucket', accessToken: null },
} as const satisfies Record<string, ScopeNeed>;

const IMPLIED_BY: Record<string, string[]> = {
  repository: ['repository:write', 'repository:admin', 'pullrequest', 'pullrequest:write', 'project'],
  'repository:write': ['pullrequest:write'],
  pullrequest: ['pullrequest:write'],
  issue: ['issue:write'],
  project: [],
};

function holds(scopes: readonly string[], scope: string): boolean {
  return scopes.includes(scope) || (IMPLIED_BY[scope] ?? []).some((parent) => holds(scopes, parent));
}

export type ScopeVerdict = { ok: true } | { ok: false; reason: 'scope'; required: string } | { ok: false; reason: 'credential-type' };

/** Whether the viewer's credential carries what the endpoint needs (anonymous callers need no scope). */
export function checkScope(viewer: BitbucketCloudViewer, need: ScopeNeed): ScopeVerdict {
  if (viewer.kind === 'anonymous') return { ok: true };
  if (viewer.kind === 'user' && viewer.credential.type === 'oauth') return checkOAuthScope(viewer.credential.scopes, need);
  if (viewer.kind === 'user') return viewer.credential.scopes.includes(need.apiToken) ? { ok: true } : { ok: false, reason: 'scope', required: need.apiToken };
  if (need.accessToken === null) return { ok: false, reason: 'credential-type' };
  if (need.accessToken.length === 0 || need.accessToken.some((s) => holds(viewer.credential.scopes, s))) return { ok: true };
  return { ok: false, reason: 'scope', required: need.accessToken[0] };
}

/** What the viewer may do on a repository before scopes: none, read or write. */
export function repositoryPermission(world: World, directory: BitbucketCloudDirectory, viewer: BitbucketCloudViewer, repo: SimRepository): 'none' | 'read' | 'write' {
  if (viewer.kind === 'token') {
    const { credential } = viewer;
    const inScope =
      credential.workspace === repo.owner.login.toLowerCase() &&
      (credential.type === 'workspace_access_token' ||
        (credential.type === 'project_access_token' && directory.traitsOf(repo).projectKey === credential.project) ||
        (credential.type === 'repo_access_token' && credential.repository === repo.name.toLowerCase()));
    if (!inScope) return 'none';
    return holds(credential.scopes, 'repository:write') ? 'write' : 'read';
  }
  if (viewer.kind === 'user') {
    const org = world.organization(repo.owner.login);
    const role = org?.members.get(viewer.user.id);
    if (role) return role === 'admin' || org?.memberPermission === 'write' ? 'write' : 'read';
  }
  return repo.private ? 'none' : 'read';
}

export function canSee(world: World, directory: BitbucketCloudDirectory, viewer: BitbucketCloudViewer, repo: SimRepository): boolean {
  return repositoryPermission(world, directory, viewer, repo) !== 'none';
}

/** Members see their workspace; access tokens see the workspace they belong to. */
export function canSeeWorkspace(world: World, viewer: BitbucketCloudViewer, slug: string): boolean {
  const org = world.organization(slug);
  if (!org) return false;
  if (viewer.kind === 'token') return viewer.credential.workspace === org.login.toLowerCase();
  return viewer.kind === 'user' && org.members.has(viewer.user.id);
}
