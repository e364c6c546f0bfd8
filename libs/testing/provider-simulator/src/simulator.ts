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
import { validateRepositorySeed, validateSeedConfig } from './core/seeding/seed-config-validation';
import { WorldSeeder } from './core/seeding/world-seeder';
import { SimHooks, type SimulatorControl } from './core/sim-hooks';
import { World } from './core/world/world';
import { metadataCounts, type MetadataCounts, type SimCredential } from './core/world/world-model';
import { userIdentity } from './providers/github/github-auth';
import { resolveGithubOptions, type GithubSimulatorOptions } from './providers/github/github-options';
import { ENTERPRISE_API_PREFIX, GithubProvider } from './providers/github/github-provider';
import { GithubRateLimits } from './providers/github/github-rate-limits';
import { GithubApps, type GithubAppsOptions } from './providers/github/github-apps';
import { GithubOAuthRoutes } from './providers/github/github-oauth-routes';
import { GithubWebFlows } from './providers/github/github-web-flows';
import { type SimulatorGithubAppsControl, type SimulatorOAuthControl, githubAppsControl, oauthControl } from './simulator-oauth';
import type { GitlabSimulatorOptions } from './providers/gitlab/gitlab-options';
import { GitlabSimulatorPart, type GitlabProjectSummary } from './providers/gitlab/gitlab-simulator';
import type { BitbucketCloudMetadataCounts } from './providers/bitbucket-cloud/bitbucket-cloud-metadata';
import type { BitbucketCloudSimulatorOptions } from './providers/bitbucket-cloud/bitbucket-cloud-options';
import { BitbucketCloudProvider } from './providers/bitbucket-cloud/bitbucket-cloud-provider';
import { CLOUD_API_PREFIX } from './providers/bitbucket-cloud/bitbucket-cloud-routes';
import type { BitbucketDcMetadataCounts } from './providers/bitbucket-dc/bitbucket-dc-metadata';
import type { BitbucketDcSimulatorOptions } from './providers/bitbucket-dc/bitbucket-dc-options';
import { BitbucketDcProvider } from './providers/bitbucket-dc/bitbucket-dc-provider';

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
  /** GitHub Apps of the simulated GitHub (key pairs generated at start) and their token lifetime. */
  githubApps?: GithubAppsOptions;
  /** GitLab's limits and port (its world comes from `seed.gitlab`). */
  gitlab?: GitlabSimulatorOptions;
  /** Bitbucket Cloud's limits (its world comes from `seed.bitbucketCloud`). */
  bitbucketCloud?: BitbucketCloudSimulatorOptions;
  /** Bitbucket Data Center's token bucket (its world comes from `seed.bitbucketDc`). */
  bitbucketDc?: BitbucketDcSimulatorOptions;
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
  /** GitLab projects only: GitLab's own counts (merge requests, notes, release links, uploads). */
  gitlab?: GitlabProjectSummary;
  /** Bitbucket Cloud repositories only: what Bitbucket Cloud's API serves of the metadata. */
  bitbucketCloud?: BitbucketCloudMetadataCounts;
  /** Bitbucket Data Center repositories only: what Data Center's API serves of the metadata. */
  bitbucketDc?: BitbucketDcMetadataCounts;
}

export interface RunningSimulator {
  github: {
    /** `http://127.0.0.1:P`: REST API at the root, git at `/{owner}/{repo}.git`, hooks at `/__sim/`. */
    baseUrl: string;
    /** `http://127.0.0.1:P/api/v3`: the same API as GitHub Enterprise Server serves it. */
    enterpriseApiUrl: string;
  };
  gitlab: {
    /** `http://127.0.0.1:Q`: git at `/{group}/{subgroup…}/{project}.git`, OAuth info at `/oauth/token/info`, hooks at `/__sim/`. */
    baseUrl: string;
    /** `${baseUrl}/api/v4`. */
    apiUrl: string;
    /** A note on an issue or merge request (by iid) of a GitLab project; bumps its `updated_at`. */
    addNote(projectPath: string, noteable: 'issue' | 'merge_request', iid: number, body: string): void;
  };
  bitbucketCloud: {
    /** `http://127.0.0.1:R/2.0`: the REST API (api.bitbucket.org/2.0). */
    apiUrl: string;
    /** `http://127.0.0.1:R`: git at `/{workspace}/{slug}.git`, wikis at `…/{slug}.git/wiki` (bitbucket.org). */
    gitUrl: string;
  };
  bitbucketDc: {
    /** `http://127.0.0.1:S`: REST at `/rest/api/latest`, git at `/scm/{key}/{slug}.git`. */
    baseUrl: string;
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
  /** The providers' OAuth 2 servers: register applications, set token lifetimes, read counters. */
  oauth: SimulatorOAuthControl;
  /** GitHub Apps: private keys, setup URLs, installation token lifetime, counters. */
  githubApps: SimulatorGithubAppsControl;
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

  let gitlab: GitlabSimulatorPart;
  let bitbucketCloud: BitbucketCloudProvider;
  let bitbucketDc: BitbucketDcProvider;
  try {
    await seeder.seedAll(options.seed);
    gitlab = await GitlabSimulatorPart.create({
      seed: validateSeedConfig(options.seed), dataDir, clock, ledger, git, refs, latencyMs: options.latencyMs ?? 0, seedConcurrency: options.seedConcurrency ?? 4, options: options.gitlab,
    });
    const validated = validateSeedConfig(options.seed);
    const common = { seedString: validated.seed, dataDir, git, refs, clock, ledger, latencyMs: options.latencyMs ?? 0, seedConcurrency: options.seedConcurrency ?? 4 };
    bitbucketCloud = await BitbucketCloudProvider.create({ ...common, seed: validated.bitbucketCloud, options: options.bitbucketCloud });
    bitbucketDc = await BitbucketDcProvider.create({ ...common, seed: validated.bitbucketDc, options: options.bitbucketDc });
  } catch (error) {
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }

  const githubOptions = resolveGithubOptions(options.github);
  // OAuth consent and token endpoints, GitHub App pages and the `/app` API (see simulator-oauth.ts)
  const githubApps = new GithubApps(world, options.githubApps);
  const githubWebFlows = new GithubWebFlows(world, githubApps, new GithubOAuthRoutes(world));
  const oauth = oauthControl({
    github: githubWebFlows.oauth.server,
    gitlab: gitlab.oauth.server,
    'bitbucket-cloud': bitbucketCloud.oauth.server,
    'bitbucket-dc': bitbucketDc.oauth.server,
  });
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
    webFlows: githubWebFlows,
  });

  const credential = (token: string): SimCredential => {
    const found = world.credentialByValue(token);
    if (!found) throw new Error('Unknown token');
    return found;
  };
  const tokens = { ...Object.fromEntries(world.credentials().map((c) => [c.name, c.value])), ...gitlab.tokens(), ...bitbucketCloud.tokens(), ...bitbucketDc.tokens() };
  let baseUrl = '';
  let gitlabBaseUrl = '';
  let bitbucketCloudUrl = '';
  let bitbucketDcUrl = '';
  // Bitbucket owners (workspaces, project keys) are unique across providers (checked with the seed config).
  const bitbucket = [bitbucketCloud, bitbucketDc];
  const bitbucketOwning = (owner: string): BitbucketCloudProvider | BitbucketDcProvider | undefined => bitbucket.find((p) => p.owns(owner));
  const bitbucketHaving = (owner: string, name: string): BitbucketCloudProvider | BitbucketDcProvider | undefined => bitbucket.find((p) => p.host.hasRepository(owner, name));

  const control: SimulatorControl & Omit<RunningSimulator, 'github' | 'gitlab' | 'bitbucketCloud' | 'bitbucketDc' | 'tokens' | 'dataDir' | 'close' | 'oauth' | 'githubApps'> = {
    stats: () => ledger.snapshot(),
    reset: () => {
      ledger.reset();
      github.resetBudgets();
      gitlab.resetBudgets();
      bitbucketCloud.resetBudgets();
      bitbucketDc.resetBudgets();
    },
    identityOf: (token) =>
      gitlab.identityOf(token) ?? bitbucketCloud.identityOfToken(token) ?? bitbucketDc.identityOfToken(token) ?? userIdentity(world.requireUserById(credential(token).userId)),
    info: () => ({
      github: { baseUrl, enterpriseApiUrl: `${baseUrl}${ENTERPRISE_API_PREFIX}` },
      gitlab: { baseUrl: gitlabBaseUrl, apiUrl: `${gitlabBaseUrl}/api/v4` },
      bitbucketCloud: { apiUrl: `${bitbucketCloudUrl}${CLOUD_API_PREFIX}`, gitUrl: bitbucketCloudUrl },
      bitbucketDc: { baseUrl: bitbucketDcUrl },
      timeScale: clock.timeScale,
      tokens,
      identities: {
        ...Object.fromEntries(world.credentials().map((c) => [c.name, userIdentity(world.requireUserById(c.userId))])),
        ...gitlab.identities(),
        ...bitbucketCloud.identities(),
        ...bitbucketDc.identities(),
      },
    }),
    listRepositories: (owner) => [...world.repositoriesOf(owner).map((r) => r.name), ...gitlab.listRepositories(owner), ...(bitbucketOwning(owner)?.host.listRepositories(owner) ?? [])],
    restRoutes: () => ({
      [github.id]: github.restRoutes(),
      [gitlab.plugin.id]: gitlab.restRoutes(),
      [bitbucketCloud.id]: bitbucketCloud.restRoutes(),
      [bitbucketDc.id]: bitbucketDc.restRoutes(),
    }),
    repository: (owner, name) => {
      if (gitlab.hasRepository(owner, name)) return gitlab.repository(owner, name);
      const bb = bitbucketHaving(owner, name);
      if (bb) return bb.repository(owner, name);
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
      const bb = bitbucketHaving(owner, name);
      if (gitlab.hasRepository(owner, name)) await gitlab.addCommits(owner, name, opts);
      else if (bb) await bb.host.addCommits(owner, name, opts);
      else await mutations.addCommits(world.requireRepository(owner, name), opts);
    },
    forcePush: (owner, name, opts) =>
      gitlab.hasRepository(owner, name)
        ? gitlab.forcePush(owner, name, opts)
        : (bitbucketHaving(owner, name)?.host.forcePush(owner, name, opts) ?? mutations.forcePush(world.requireRepository(owner, name), opts)),
    addIssueComment: (owner, name, issueNumber, body) => {
      const bb = bitbucketHaving(owner, name);
      if (gitlab.hasRepository(owner, name)) gitlab.addIssueComment(owner, name, issueNumber, body);
      else if (bb) bb.host.addIssueComment(owner, name, issueNumber, body);
      else mutations.addIssueComment(world.requireRepository(owner, name), issueNumber, body);
    },
    addRepository: async (owner, spec) => {
      const bb = bitbucketOwning(owner);
      if (gitlab.owns(owner)) await gitlab.addRepository(owner, validateRepositorySeed(spec));
      else if (bb) await bb.addRepository(owner, validateRepositorySeed(spec));
      else await seeder.addRepository(owner, validateRepositorySeed(spec));
    },
    deleteRepository: (owner, name) => {
      if (gitlab.hasRepository(owner, name)) {
        gitlab.deleteRepository(owner, name);
        return;
      }
      const bb = bitbucketHaving(owner, name);
      if (bb) {
        bb.host.deleteRepository(owner, name);
        return;
      }
      const repo = world.removeRepository(owner, name);
      refs.invalidate(repo.gitDir);
      for (const dir of [repo.gitDir, repo.wikiGitDir, join(dataDir, 'lfs', String(repo.id))]) {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  };

  const hooks = new SimHooks(control);
  const server = new ProviderServer(github, hooks);
  const gitlabServer = new ProviderServer(gitlab.plugin, hooks);
  const bitbucketCloudServer = new ProviderServer(bitbucketCloud, hooks);
  const bitbucketDcServer = new ProviderServer(bitbucketDc, hooks);
  let port: number;
  try {
    port = await server.listen(options.port ?? 0);
    gitlabBaseUrl = `http://127.0.0.1:${await gitlabServer.listen(options.gitlab?.port ?? 0)}`;
    bitbucketCloudUrl = `http://127.0.0.1:${await bitbucketCloudServer.listen(0)}`;
    bitbucketDcUrl = `http://127.0.0.1:${await bitbucketDcServer.listen(0)}`;
  } catch (error) {
    await Promise.all([server.close(), gitlabServer.close(), bitbucketCloudServer.close(), bitbucketDcServer.close()]);
    if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  baseUrl = `http://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  return {
    ...control,
    github: { baseUrl, enterpriseApiUrl: `${baseUrl}${ENTERPRISE_API_PREFIX}` },
    gitlab: { baseUrl: gitlabBaseUrl, apiUrl: `${gitlabBaseUrl}/api/v4`, addNote: (path, noteable, iid, body) => gitlab.addNote(path, noteable, iid, body) },
    bitbucketCloud: { apiUrl: `${bitbucketCloudUrl}${CLOUD_API_PREFIX}`, gitUrl: bitbucketCloudUrl },
    bitbucketDc: { baseUrl: bitbucketDcUrl },
    oauth,
    githubApps: githubAppsControl(githubApps),
    tokens,
    dataDir,
    close: () => {
      closed ??= (async () => {
        await Promise.all([server.close(), gitlabServer.close(), bitbucketCloudServer.close(), bitbucketDcServer.close()]);
        if (ownsDataDir) await rm(dataDir, { recursive: true, force: true });
      })();
      return closed;
    },
  };
}
