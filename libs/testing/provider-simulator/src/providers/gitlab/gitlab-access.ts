import type { GitlabGroup, GitlabProject, GitlabToken, GitlabUser, GitlabWorld } from './gitlab-model';
import { ACCESS_LEVELS } from './gitlab-seed';

export type GitlabViewer =
  | { kind: 'user'; identity: string; user: GitlabUser; token: GitlabToken }
  | { kind: 'anonymous'; identity: string; ip: string };

const API_READ_SCOPES = ['api', 'read_api'];
const USER_READ_SCOPES = ['api', 'read_api', 'read_user'];
const GIT_READ_SCOPES = ['api', 'read_repository', 'write_repository'];
const GIT_WRITE_SCOPES = ['api', 'write_repository'];

/** Which scopes a route accepts: `any` for the token's own details, `user` for `/user`, `api` for the rest, `write` for writes (`api` only). */
export type ScopeRule = 'any' | 'user' | 'api' | 'write';

const API_WRITE_SCOPES = ['api'];

export function acceptedScopes(rule: ScopeRule): string[] | null {
  return rule === 'any' ? null : rule === 'user' ? USER_READ_SCOPES : rule === 'write' ? API_WRITE_SCOPES : API_READ_SCOPES;
}

export function hasAnyScope(token: GitlabToken, scopes: readonly string[]): boolean {
  return token.scopes.some((s) => scopes.includes(s));
}

export function canUseGitRead(token: GitlabToken): boolean {
  return hasAnyScope(token, GIT_READ_SCOPES);
}

export function canUseGitWrite(token: GitlabToken): boolean {
  return hasAnyScope(token, GIT_WRITE_SCOPES);
}

/**
 * GitLab's membership rules: a member of a group is a member (at least at that level) of every
 * subgroup and project below it; a project's direct members add to that.
 */
export class GitlabAccess {
  constructor(private readonly gl: GitlabWorld) {}

  groupLevel(viewer: GitlabViewer, group: GitlabGroup): number {
    if (viewer.kind !== 'user') return 0;
    let level = 0;
    for (const g of this.gl.ancestry(group)) level = Math.max(level, g.members.get(viewer.user.id) ?? 0);
    return level;
  }

  projectLevel(viewer: GitlabViewer, project: GitlabProject): number {
    if (viewer.kind !== 'user') return 0;
    return Math.max(project.members.get(viewer.user.id) ?? 0, this.groupLevel(viewer, project.group));
  }

  /** Internal resources are visible to every signed-in human; bots only see what they are members of. */
  private signedInHuman(viewer: GitlabViewer): boolean {
    return viewer.kind === 'user' && !viewer.user.bot;
  }

  canSeeProject(viewer: GitlabViewer, project: GitlabProject): boolean {
    if (project.visibility === 'public') return true;
    if (project.visibility === 'internal' && this.signedInHuman(viewer)) return true;
    return this.projectLevel(viewer, project) >= ACCESS_LEVELS.guest;
  }

  /** Code, merge requests and releases of a private project need Reporter; public and internal ones are open to whoever sees them. */
  canReadCode(viewer: GitlabViewer, project: GitlabProject): boolean {
    if (!this.canSeeProject(viewer, project)) return false;
    return project.visibility !== 'private' || this.projectLevel(viewer, project) >= ACCESS_LEVELS.reporter;
  }

  canPush(viewer: GitlabViewer, project: GitlabProject): boolean {
    return this.projectLevel(viewer, project) >= ACCESS_LEVELS.developer;
  }

  /** A private group is visible to its members, and to members of anything below it. */
  canSeeGroup(viewer: GitlabViewer, group: GitlabGroup): boolean {
    if (group.visibility === 'public') return true;
    if (group.visibility === 'internal' && this.signedInHuman(viewer)) return true;
    if (this.groupLevel(viewer, group) > 0) return true;
    if (viewer.kind !== 'user') return false;
    const below = this.gl.descendantsAndSelf(group);
    if (below.some((g) => g.members.has(viewer.user.id))) return true;
    const ids = new Set(below.map((g) => g.id));
    return this.gl.projects().some((p) => ids.has(p.group.id) && p.members.has(viewer.user.id));
  }

  /** Whether the viewer is a member of the project (directly, or through its group or an ancestor). */
  isMember(viewer: GitlabViewer, project: GitlabProject): boolean {
    return this.projectLevel(viewer, project) > 0;
  }
}
