/**
 * The providers `bench:throttle` measures: each says how to size and seed a world whose work needs a
 * given number of rate-limit windows, how the stack must be configured for the simulator's scaled
 * time, how to connect an organization, what the binding limit is and what the simulator charged.
 */
import type { RunningSimulator, SeedConfig, SimulatorOptions } from '@repovault/testing/provider-simulator';

export type BenchProvider = 'github' | 'gitlab' | 'bitbucket-cloud';

export interface BenchCase {
  label: string;
  /** token names: the first is the main credential */
  tokens: string[];
  /** distinct identities among the tokens */
  identities: number;
}

export interface ChargedCalls {
  calls: number;
  refusals: number;
  violations: number;
}

export interface Scenario {
  provider: BenchProvider;
  /** seconds one of the provider's rate-limit windows lasts in the scaled simulator */
  windowSeconds: number;
  /** what one window is called in the printout */
  windowName: string;
  /** windows aligned to multiples of their length (GitLab's Rack::Attack), rather than starting with the first call (GitHub) or rolling (Bitbucket Cloud) */
  alignedWindows: boolean;
  /** calls per identity per window */
  limit: number;
  /** estimated provider calls per repository of the seeded template (for sizing only) */
  callsPerRepository: number;
  cases: BenchCase[];
  /** credential-service settings the scaled simulator needs */
  credentialServiceEnv: Record<string, string>;
  simulator(repositories: number): SimulatorOptions;
  /** calls per window the organization can spend with this case's identities */
  bindingLimit(c: BenchCase): number;
  organization(sim: RunningSimulator): { name: string; baseUrl: string };
  /** what the API needs besides the secret for a token (a username or the account's email) */
  account(token: string): { username?: string; email?: string };
  charged(sim: RunningSimulator): ChargedCalls;
  /** a comment added between two runs, and the snapshot count field it shows in */
  comment: { repository: string; kind: 'issues' | 'pull-requests'; number(record: Record<string, unknown>): number; countField: string };
}

const TEMPLATE = { branches: 1, tags: 1, commitsPerBranch: 2, metadata: { issues: 3, pulls: 1, commentsPerIssue: 1, reviewsPerPull: 1, reviewCommentsPerPull: 1, releases: 1, assetsPerRelease: 1, labels: 2, milestones: 1 } };

function sum(sim: RunningSimulator, include: (identity: string) => boolean, resources: string[]): ChargedCalls {
  const out: ChargedCalls = { calls: 0, refusals: 0, violations: 0 };
  for (const [identity, s] of Object.entries(sim.stats().identities)) {
    if (!include(identity)) continue;
    out.calls += resources.reduce((n, r) => n + (s.byResource[r] ?? 0), 0) - s.notModified - s.refusals;
    out.refusals += s.refusals;
    out.violations += s.violations;
  }
  return out;
}

const GITHUB_WINDOW_SECONDS = Number(process.env['BENCH_WINDOW_SECONDS'] ?? 12);
const GITHUB_LIMIT = Number(process.env['BENCH_LIMIT'] ?? 40);

/** GitHub: a fixed hour per identity (primary `core`), ETags make unchanged listings free. */
export const githubScenario: Scenario = {
  provider: 'github',
  windowSeconds: GITHUB_WINDOW_SECONDS,
  windowName: 'hour',
  alignedWindows: false,
  limit: GITHUB_LIMIT,
  callsPerRepository: 10, // demo-seed repositories: 9 listings + 1 asset download
  cases: [
    { label: 'K=1', tokens: ['u1'], identities: 1 },
    { label: 'K=2', tokens: ['u1', 'u2'], identities: 2 },
    { label: 'K=4', tokens: ['u1', 'u2', 'u3', 'u4'], identities: 4 },
    { label: 'K=8', tokens: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'], identities: 8 },
    { label: '2 tokens/1 id', tokens: ['u1', 'u1-b'], identities: 1 },
  ],
  credentialServiceEnv: {},
  simulator(repositories): SimulatorOptions {
    const users = Array.from({ length: 8 }, (_, i) => ({
      login: `u${i + 1}`,
      tokens: [{ name: `u${i + 1}`, kind: 'classic' as const, scopes: ['repo', 'read:org'] }, ...(i === 0 ? [{ name: 'u1-b', kind: 'classic' as const, scopes: ['repo', 'read:org'] }] : [])],
    }));
    const seed: SeedConfig = {
      seed: `bench-throttle-${repositories}`,
      users,
      organizations: [{ login: 'acme', owners: ['u1'], members: users.slice(1).map((u) => u.login), generate: { count: repositories, namePrefix: 'repo', privateEvery: 3 } }],
    };
    return { seed, timeScale: 3600 / GITHUB_WINDOW_SECONDS, github: { coreLimit: GITHUB_LIMIT } };
  },
  bindingLimit: (c) => c.identities * GITHUB_LIMIT,
  organization: (sim) => ({ name: 'acme', baseUrl: sim.github.baseUrl }),
  account: () => ({}),
  charged: (sim) => sum(sim, (identity) => identity.startsWith('github:user:'), ['core']),
  comment: { repository: 'acme/repo-0002', kind: 'issues', number: (issue) => Number(issue['number']), countField: 'issueComments' },
};

const GITLAB_WINDOW_SECONDS = Number(process.env['BENCH_GITLAB_WINDOW_SECONDS'] ?? 12);
const GITLAB_LIMIT = Number(process.env['BENCH_GITLAB_LIMIT'] ?? 40);
/** every worker here shares one address: the per-IP aggregate binds once K × the per-user limit exceeds it */
const GITLAB_IP_LIMIT = Number(process.env['BENCH_GITLAB_IP_LIMIT'] ?? 100);

/** GitLab: a minute per user plus the per-IP aggregate of all users; no free 304s (`updated_after`). */
export const gitlabScenario: Scenario = {
  provider: 'gitlab',
  windowSeconds: GITLAB_WINDOW_SECONDS,
  windowName: 'minute',
  alignedWindows: true,
  limit: GITLAB_LIMIT,
  callsPerRepository: 12,
  cases: [
    { label: 'K=1', tokens: ['gl1'], identities: 1 },
    { label: 'K=2', tokens: ['gl1', 'gl2'], identities: 2 },
    { label: 'K=4 (IP binds)', tokens: ['gl1', 'gl2', 'gl3', 'gl4'], identities: 4 },
  ],
  credentialServiceEnv: { REPOVAULT_RATE_WINDOW_SCALE: String(60 / GITLAB_WINDOW_SECONDS), REPOVAULT_GITLAB_IP_LIMIT_PER_MINUTE: String(GITLAB_IP_LIMIT) },
  simulator(repositories): SimulatorOptions {
    const users = Array.from({ length: 4 }, (_, i) => ({ username: `user${i + 1}`, tokens: [{ name: `gl${i + 1}`, kind: 'personal' as const, scopes: ['read_api', 'read_repository'], expiresAt: '2099-12-31' }] }));
    const seed: SeedConfig = {
      seed: `bench-throttle-gitlab-${repositories}`,
      users: [],
      organizations: [],
      gitlab: { users, groups: [{ path: 'acme-group', owners: ['user1'], members: users.slice(1).map((u) => u.username), generate: { count: repositories, namePrefix: 'svc', template: TEMPLATE } }] },
    };
    return { seed, timeScale: 60 / GITLAB_WINDOW_SECONDS, gitlab: { authenticatedApiLimit: GITLAB_LIMIT, ipLimit: GITLAB_IP_LIMIT } };
  },
  bindingLimit: (c) => Math.min(c.identities * GITLAB_LIMIT, GITLAB_IP_LIMIT),
  organization: (sim) => ({ name: 'acme-group', baseUrl: sim.gitlab.baseUrl }),
  account: (token) => ({ username: `user${token.replace(/^gl/, '')}` }),
  charged: (sim) => sum(sim, (identity) => identity.startsWith('gitlab:') && !identity.includes(':ip:'), ['api']),
  comment: { repository: 'acme-group/svc-0002', kind: 'issues', number: (issue) => Number(issue['iid']), countField: 'issueComments' },
};

const BITBUCKET_WINDOW_SECONDS = Number(process.env['BENCH_BITBUCKET_WINDOW_SECONDS'] ?? 12);
const BITBUCKET_LIMIT = Number(process.env['BENCH_BITBUCKET_LIMIT'] ?? 40);

/** Bitbucket Cloud: a rolling hour per account with no remaining header; `q=updated_on>…`. */
export const bitbucketCloudScenario: Scenario = {
  provider: 'bitbucket-cloud',
  windowSeconds: BITBUCKET_WINDOW_SECONDS,
  windowName: 'rolling hour',
  alignedWindows: false,
  limit: BITBUCKET_LIMIT,
  callsPerRepository: 8,
  cases: [
    { label: 'K=1', tokens: ['bb1'], identities: 1 },
    { label: 'K=2', tokens: ['bb1', 'bb2'], identities: 2 },
    { label: 'K=4', tokens: ['bb1', 'bb2', 'bb3', 'bb4'], identities: 4 },
  ],
  credentialServiceEnv: { REPOVAULT_RATE_WINDOW_SCALE: String(3600 / BITBUCKET_WINDOW_SECONDS), REPOVAULT_BITBUCKET_CLOUD_LIMIT_PER_HOUR: String(BITBUCKET_LIMIT) },
  simulator(repositories): SimulatorOptions {
    const users = Array.from({ length: 4 }, (_, i) => ({ login: `member${i + 1}`, tokens: [{ name: `bb${i + 1}` }] }));
    const seed: SeedConfig = {
      seed: `bench-throttle-bbc-${repositories}`,
      users: [],
      organizations: [],
      bitbucketCloud: {
        users,
        workspaces: [{ slug: 'acme-ws', owners: ['member1'], members: users.slice(1).map((u) => u.login), issueTrackerEvery: 2, generate: { count: repositories, namePrefix: 'repo', template: TEMPLATE } }],
      },
    };
    return { seed, timeScale: 3600 / BITBUCKET_WINDOW_SECONDS, bitbucketCloud: { repositoriesLimit: BITBUCKET_LIMIT } };
  },
  bindingLimit: (c) => c.identities * BITBUCKET_LIMIT,
  organization: (sim) => ({ name: 'acme-ws', baseUrl: sim.bitbucketCloud.apiUrl }),
  account: (token) => ({ email: `member${token.replace(/^bb/, '')}@example.com` }),
  charged: (sim) => sum(sim, (identity) => identity.startsWith('bitbucket-cloud:'), ['api']),
  comment: { repository: 'acme-ws/repo-0002', kind: 'pull-requests', number: (pull) => Number(pull['id']), countField: 'reviewComments' },
};

export const SCENARIOS: Record<BenchProvider, Scenario> = { github: githubScenario, gitlab: gitlabScenario, 'bitbucket-cloud': bitbucketCloudScenario };
