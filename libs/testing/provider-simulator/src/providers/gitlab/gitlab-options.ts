/** GitLab.com's documented limits by default; every figure is configurable (self-managed differs). */
export interface GitlabSimulatorOptions {
  /** Port of the GitLab listener; 0 = any free port (default). */
  port?: number;
  /** Authenticated API requests per (simulated) minute per user. Default 2,000. */
  authenticatedApiLimit?: number;
  /** All API requests from one IP address per minute, every user together. Default 2,000. */
  ipLimit?: number;
  /** Unauthenticated API requests per minute per IP. Default 500. */
  unauthenticatedApiLimit?: number;
  /** `GET /groups/:id/projects` per minute per user; no rate-limit headers. Default 600. */
  groupProjectsLimit?: number;
  /** `GET /projects` per `projectsListPeriodSeconds` per user; no headers. Default 2,000. */
  projectsListLimit?: number;
  /** Default 600 (ten minutes). */
  projectsListPeriodSeconds?: number;
  /** `GET /groups` per minute per user; no headers. Default 50. */
  groupsListLimit?: number;
  /** Git over HTTPS (and LFS) requests per minute per user. Default 10,000. */
  gitLimit?: number;
  /** Lifetime of LFS transfer actions, simulated seconds. Default 3600. */
  lfsActionExpiresSeconds?: number;
}

export type ResolvedGitlabOptions = Required<Omit<GitlabSimulatorOptions, 'port'>>;

export function resolveGitlabOptions(options: GitlabSimulatorOptions = {}): ResolvedGitlabOptions {
  return {
    authenticatedApiLimit: options.authenticatedApiLimit ?? 2000,
    ipLimit: options.ipLimit ?? 2000,
    unauthenticatedApiLimit: options.unauthenticatedApiLimit ?? 500,
    groupProjectsLimit: options.groupProjectsLimit ?? 600,
    projectsListLimit: options.projectsListLimit ?? 2000,
    projectsListPeriodSeconds: options.projectsListPeriodSeconds ?? 600,
    groupsListLimit: options.groupsListLimit ?? 50,
    gitLimit: options.gitLimit ?? 10_000,
    lfsActionExpiresSeconds: options.lfsActionExpiresSeconds ?? 3600,
  };
}
