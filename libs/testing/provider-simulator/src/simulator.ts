import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScaledClock } from './core/clock';
import { listRefsSync } from './core/git/bare-repository';
import { GitRunner, locateGit } from './core/git/git-runner';
import { RefCache } from './core/git/ref-cache';
import type { RouteInfo } from './core/http-router';
import { IdentityLedger, type SimulatorStats } from './core/identity-stats';
import { LfsActionTokens } from './core/lfs/lfs-action-tokens';
import { LfsObjectStore } from './core/lfs/lfs-object-store';
import { ProviderServer } from './core/provider-server';
import { RepositoryMutations } from './core/seeding/repository-mutations';
import type { RepositorySeed, SeedConfig } from './core/seeding/seed-config';
import { validateRepositorySeed } from './core/seeding/seed-config-validation';
import { WorldSeeder } from './core/seeding/world-seeder';
import { SimHooks, type SimulatorControl } from './core/sim-hooks';
import { World } from './core/world/world';
import { metadataCounts, type MetadataCounts, type SimCredential } from './core/world/world-model';
import { userIdentity } from './providers/github/github-auth';
import { resolveGithubOptions, type GithubSimulatorOptions } from './providers/github/github-options';
import { ENTERPRISE_API_PREFIX, GithubProvider } from './providers/github/github-provider';
import { GithubRateLimits } from './providers/github/github-rate-limits';

export interface SimulatorOptions {
  /** 0 = any free port (default). The simulator always binds 127.0.0.1. */
  port?: number;
  /**
   * Where bare repositories and LFS objects go; default a fresh directory under the OS temp dir,
   * removed on close(). A given directory is kept, but its `git/`, `lfs/` and `home/` folders are
   * replaced when the simulator starts.
   */
  dataDir?: string;
  seed: SeedConfig;
  /** Durations are divided by it: 360 makes an hour-long window last 10 s. Default 1. */
  timeScale?: number;
  /** Extra latency added to every API, git and LFS request that is let through. Default 0. */
  latencyMs?: number;
  github?: GithubSimulatorOptions;
  /** Path of the git executable; default found in the usual places. */
  gitBinary?: string;
  /** Repositories written in parallel while seeding. Default 4. */
  seedConcurrency?: number;
}

export interface RepositorySummary {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  /** Every ref upstream (branches, tags as their tag objects, `refs/pull/N/head`) -> object id: what `git clone --mirror` gets. */
  refs: Record<string, string>;
  /** Sorted oids of the LFS objects the repository holds. */
  lfsOids: string[];
  hasWiki: boolean;
  /** Wiki refs when there is a wiki. */
  wikiRefs: Record<string, string>;
  metadataCounts: MetadataCounts;
}

export interface RunningSimulator {
  github: {
    /** `http://127.0.0.1:P`: REST API at the root, git at `/{owner}/{repo}.git`, hooks at `/__sim/`. */
    baseUrl: string;
    /** `http://127.0.0.1:P/api/v3`: the same API as GitHub Enterprise Server serves it. */
    enterpriseApiUrl: string;
  };
  /** Token name -> token value, e.g. `alice`, `alice-2`, `erin-fine-grained`, `mallory`. */
  tokens: Record<string, string>;
  readonly dataDir: string;
  stats(): SimulatorStats;
  /** Counters, budgets and wait windows back to fresh (repositories are kept). */
  reset(): void;
  /** Identity key a token's requests are counted under, e.g. `github:user:1001`. */
  identityOf(token: string): string;
  repository(owner: string, name: string): RepositorySummary;
  /** REST routes served, per provider id (method and path template), for checks against the providers' API descriptions. */
  restRoutes(): Record<string, RouteInfo[]>;
  listRepositories(owner: string): string[];
  addCommits(owner: string, repo: string, options: { branch: string; count: number }): Promise<void>;
  /**
   * Replaces the branch tip by a new commit on its parent (pull request refs of that branch follow),
   * so the old tip is unreachable upstream unless another branch or tag still contains it.
   */
  forcePush(owner: string, repo: string, options: { branch: string }): Promise<{ oldSha: string; newSha: string }>;
  /** Bumps the issue's `updated_at`, which changes the ETags of the listings that show it. */
  addIssueComment(owner: string, repo: string, issueNumber: number, body: string): void;
  addRepository(owner: string, spec: RepositorySeed): Promise<void>;
  deleteRepository(owner: string, repo: string): void;
  close(): Promise<void>;
}

/** Seeds the world, then serves GitHub (and the test hooks) on loopback. */
export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'repovault-sim-')));
  const reposRoot = join(dataDir, 'git');
  const homeDir = join(dataDir, 'home');
  for (const dir of [reposRoot, join(dataDir, 'lfs'), homeDir]) {
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
  }

  const clock = new ScaledClock(options.timeScale ?? 1);
  const world = new World();
  const git = new GitRunner(options.gitBinary ?? locateGit(), homeDir);
  const refs = new RefCache(git);
  const lfs = new LfsObjectStore(join(dataDir, 'lfs'));
  const ledger = new IdentityLedger(clock);
  const mutations = new RepositoryMutations(world, git, refs, clock);
  const seeder = new WorldSeeder(world, { reposRoot, lfs, git, refCache: refs }, options.seedConcurrency ?? 4);

  try {
    await seeder.seedAll(options.seed);
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const githubOptions = resolveGithubOptions(options.github);
  const github = new GithubProvider({
    world,
    ledger,
    limits: new GithubRateLimits(githubOptions, clock, ledger),
    options: githubOptions,
    clock,
    latencyMs: options.latencyMs ?? 0,
    git,
    refs,
    reposRoot,
    lfs,
    lfsTokens: new LfsActionTokens(),
    mutations,
  });

  const credential = (token: string): SimCredential => {
    const found = world.credentialByValue(token);
    if (!found) throw new Error('Unknown token');
    return found;
  };
  const tokens = Object.fromEntries(world.credentials().map((c) => [c.name, c.value]));
  let baseUrl = '';

  const control: SimulatorControl & Omit<RunningSimulator, 'github' | 'tokens' | 'dataDir' | 'close'> = {
    stats: () => ledger.snapshot(),
    reset: () => {
      ledger.reset();
      github.resetBudgets();
    },
    identityOf: (token) => userIdentity(world.requireUserById(credential(token).userId)),
    info: () => ({
      github: { baseUrl, enterpriseApiUrl: `${baseUrl}${ENTERPRISE_API_PREFIX}` },
      timeScale: clock.timeScale,
      tokens,
      identities: Object.fromEntries(world.credentials().map((c) => [c.name, userIdentity(world.requireUserById(c.userId))])),
    }),
    listRepositories: (owner) => world.repositoriesOf(owner).map((r) => r.name),
    restRoutes: () => ({ [github.id]: github.restRoutes() }),
    repository: (owner, name) => {
      const repo = world.requireRepository(owner, name);
      const toRecord = (gitDir: string): Record<string, string> => Object.fromEntries(listRefsSync(git, gitDir).map((r) => [r.name, r.sha]));
      return {
        id: repo.id,
        owner: repo.owner.login,
        name: repo.name,
        fullName: `${repo.owner.login}/${repo.name}`,
        private: repo.private,
        defaultBranch: repo.defaultBranch,
        refs: toRecord(repo.gitDir),
        lfsOids: [...repo.lfsOids],
        hasWiki: repo.wikiGitDir !== null,
        wikiRefs: repo.wikiGitDir ? toRecord(repo.wikiGitDir) : {},
        metadataCounts: metadataCounts(repo.metadata),
      };
    },
    addCommits: async (owner, name, opts) => {
      await mutations.addCommits(world.requireRepository(owner, name), opts);
    },
    forcePush: (owner, name, opts) => mutations.forcePush(world.requireRepository(owner, name), opts),
    addIssueComment: (owner, name, issueNumber, body) => {
      mutations.addIssueComment(world.requireRepository(owner, name), issueNumber, body);
    },
    addRepository: async (owner, spec) => {
      await seeder.addRepository(owner, validateRepositorySeed(spec));
    },
    deleteRepository: (owner, name) => {
      const repo = world.removeRepository(owner, name);
      refs.invalidate(repo.gitDir);
      for (const dir of [repo.gitDir, repo.wikiGitDir, join(dataDir, 'lfs', String(repo.id))]) {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };

  const server = new ProviderServer(github, new SimHooks(control));
  let port: number;
  try {
    port = await server.listen(options.port ?? 0);
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  baseUrl = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  return {
    ...control,
    github: { baseUrl, enterpriseApiUrl: `${baseUrl}${ENTERPRISE_API_PREFIX}` },
    tokens,
    dataDir,
    close: () => {
      closed ??= (async () => {
        await server.close();
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
