import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../core/clock';
import type { GitRunner } from '../../core/git/git-runner';
import type { RefCache } from '../../core/git/ref-cache';
import type { IdentityLedger } from '../../core/identity-stats';
import type { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import type { LfsObjectStore } from '../../core/lfs/lfs-object-store';
import type { RepositoryMutations } from '../../core/seeding/repository-mutations';
import type { World } from '../../core/world/world';
import type { ResolvedGithubOptions } from './github-options';
import type { GithubRateLimits } from './github-rate-limits';

/** What the GitHub provider's parts share: the core services plus GitHub's own limits. */
export interface GithubContext {
  world: World;
  ledger: IdentityLedger;
  limits: GithubRateLimits;
  options: ResolvedGithubOptions;
  clock: Clock;
  latencyMs: number;
  git: GitRunner;
  refs: RefCache;
  reposRoot: string;
  lfs: LfsObjectStore;
  lfsTokens: LfsActionTokens;
  mutations: RepositoryMutations;
  /** OAuth consent, App installation pages and the `/app` API, answered before the REST pipeline */
  webFlows?: { handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> };
}
