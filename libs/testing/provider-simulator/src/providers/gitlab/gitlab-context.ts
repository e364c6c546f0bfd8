import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock';
import type { GitRunner } from '../../core/git/git-runner';
import type { RefCache } from '../../core/git/ref-cache';
import type { IdentityLedger } from '../../core/identity-stats';
import type { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import type { LfsObjectStore } from '../../core/lfs/lfs-object-store';
import type { RepositoryMutations } from '../../core/seeding/repository-mutations';
import type { GitlabAccess } from './gitlab-access';
import type { GitlabWorld } from './gitlab-model';
import type { ResolvedGitlabOptions } from './gitlab-options';
import type { GitlabRateLimits } from './gitlab-rate-limits';

/** What the GitLab provider's parts share: the core services plus GitLab's world, rules and limits. */
export interface GitlabContext {
  gl: GitlabWorld;
  access: GitlabAccess;
  ledger: IdentityLedger;
  limits: GitlabRateLimits;
  options: ResolvedGitlabOptions;
  clock: Clock;
  latencyMs: number;
  git: GitRunner;
  refs: RefCache;
  /** GIT_PROJECT_ROOT of GitLab's bare repositories: `{reposRoot}/{group full path}/{project}.git`. */
  reposRoot: string;
  lfs: LfsObjectStore;
  lfsTokens: LfsActionTokens;
  mutations: RepositoryMutations;
  /** the OAuth consent page and token endpoint, answered before the API and git */
  webFlows?: { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> };
}
