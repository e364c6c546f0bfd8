import type { RepositoryBatchSeed, RepositorySeed } from '../../core/seeding/seed-config';

/** GitLab's role names, in increasing order of access (numeric levels in `ACCESS_LEVELS`). */
export type GitlabAccessLevelName = 'guest' | 'reporter' | 'developer' | 'maintainer' | 'owner';
export type GitlabVisibility = 'private' | 'internal' | 'public';

/**
 * The GitLab part of a seed config (`SeedConfig.gitlab`). GitLab accounts live apart from GitHub's:
 * a GitLab `alice` and a GitHub `alice` are different users with different ids.
 */
export interface GitlabSeedConfig {
  users?: GitlabUserSeed[];
  /** Top-level groups; each may hold subgroups, projects and access tokens. */
  groups?: GitlabGroupSeed[];
}

export interface GitlabUserSeed {
  username: string;
  name?: string;
  email?: string;
  tokens?: GitlabTokenSeed[];
}

/** A token the user holds: a personal access token (`glpat-`) or an OAuth access token. */
export interface GitlabTokenSeed {
  /** Key in `RunningSimulator.tokens`; unique across every provider of the config. */
  name: string;
  /** Default `personal`. */
  kind?: 'personal' | 'oauth';
  /** Default `['read_api', 'read_repository']`. */
  scopes?: string[];
  /** Personal tokens: `YYYY-MM-DD`, the token stops working at 00:00 UTC that day. Default none. */
  expiresAt?: string | null;
  /** OAuth tokens: lifetime from the simulator's start, in simulated seconds (time scale applies). Default 7200. */
  expiresInSeconds?: number;
  revoked?: boolean;
  value?: string;
}

/** A project or group access token: GitLab creates a bot user for it, member of that project or group. */
export interface GitlabAccessTokenSeed {
  name: string;
  /** Default `['read_api', 'read_repository']`. */
  scopes?: string[];
  /** The bot's role. Default `maintainer` (GitLab's API default). */
  accessLevel?: GitlabAccessLevelName;
  expiresAt?: string | null;
  revoked?: boolean;
  value?: string;
}

export interface GitlabMemberSeed {
  username: string;
  accessLevel: GitlabAccessLevelName;
}

export interface GitlabGroupSeed {
  /** URL path segment; the full path is the parent's full path plus this. */
  path: string;
  name?: string;
  description?: string;
  /** Default `private`; never more visible than the parent group. */
  visibility?: GitlabVisibility;
  /** Usernames with the owner role. A top-level group needs at least one. */
  owners?: string[];
  /** A bare username means `developer`. */
  members?: Array<string | GitlabMemberSeed>;
  /** Group labels and milestones (shared by its projects). Default 0. */
  labels?: number;
  milestones?: number;
  accessTokens?: GitlabAccessTokenSeed[];
  projects?: GitlabProjectSeed[];
  /** Generated projects `{namePrefix}-0001…`, after the explicit ones. */
  generate?: RepositoryBatchSeed;
  subgroups?: GitlabGroupSeed[];
}

/** A project: a repository seed (same content generation as GitHub's) plus GitLab's visibility and members. */
export interface GitlabProjectSeed extends RepositorySeed {
  /** Default: `private` when `private: true`, otherwise the group's visibility. */
  visibility?: GitlabVisibility;
  members?: Array<string | GitlabMemberSeed>;
  accessTokens?: GitlabAccessTokenSeed[];
}

export const DEFAULT_GITLAB_SCOPES: readonly string[] = ['read_api', 'read_repository'];

export const ACCESS_LEVELS: Record<GitlabAccessLevelName, number> = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 };

export const VISIBILITY_RANK: Record<GitlabVisibility, number> = { private: 0, internal: 10, public: 20 };

export function memberSeed(member: string | GitlabMemberSeed): GitlabMemberSeed {
  return typeof member === 'string' ? { username: member, accessLevel: 'developer' } : member;
}

/** Every group of the tree, parents before children, with its full path. */
export function walkGroups(groups: readonly GitlabGroupSeed[], parent = ''): Array<{ group: GitlabGroupSeed; fullPath: string; parentPath: string | null }> {
  const out: Array<{ group: GitlabGroupSeed; fullPath: string; parentPath: string | null }> = [];
  for (const group of groups) {
    const fullPath = parent ? `${parent}/${group.path}` : group.path;
    out.push({ group, fullPath, parentPath: parent || null });
    out.push(...walkGroups(group.subgroups ?? [], fullPath));
  }
  return out;
}
