/**
 * `npm run bench:throttle`: backs up the metadata of an organization whose work needs several
 * rate-limit windows, against the simulator with a per-identity limit L per (scaled) hour, for
 * K = 1, 2, 4, 8 identities and two tokens of one identity, with 1 and 4 worker processes. Prints,
 * per case: wall time against the ideal (charged calls ÷ (K·L) windows), efficiency, refusals,
 * violations, claim latency p50/p99 and the spread of use across credentials; then the cost of a
 * second run over the unchanged organization (with one new comment in between).
 */
import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, type SeedConfig, startSimulator } from '@repovault/testing/provider-simulator';
import { type BenchStack, runAndWait, startBenchStack } from './bench-support';

const L = Number(process.env['BENCH_LIMIT'] ?? 40);
const WINDOW_SECONDS = Number(process.env['BENCH_WINDOW_SECONDS'] ?? 12);
const WINDOWS = Number(process.env['BENCH_WINDOWS'] ?? 4);
const CALLS_PER_REPOSITORY = 10; // demo-seed repositories: 9 listings + 1 asset download
const CONCURRENCY = 8;

interface Case {
  label: string;
  tokens: string[];
  identities: number;
}

const CASES: Case[] = [
  { label: 'K=1', tokens: ['u1'], identities: 1 },
  { label: 'K=2', tokens: ['u1', 'u2'], identities: 2 },
  { label: 'K=4', tokens: ['u1', 'u2', 'u3', 'u4'], identities: 4 },
  { label: 'K=8', tokens: ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'], identities: 8 },
  { label: '2 tokens/1 id', tokens: ['u1', 'u1-b'], identities: 1 },
];

function seedFor(repositories: number): SeedConfig {
  const users = Array.from({ length: 8 }, (_, i) => ({
    login: `u${i + 1}`,
    tokens: [{ name: `u${i + 1}`, kind: 'classic' as const, scopes: ['repo', 'read:org'] }, ...(i === 0 ? [{ name: 'u1-b', kind: 'classic' as const, scopes: ['repo', 'read:org'] }] : [])],
  }));
  return {
    seed: `bench-throttle-${repositories}`,
    users,
    organizations: [{ login: 'acme', owners: ['u1'], members: users.slice(1).map((u) => u.login), generate: { count: repositories, namePrefix: 'repo', privateEvery: 3 } }],
  };
}

function quantile(buckets: [number, number][], count: number, q: number): number {
  // Prometheus-style linear interpolation inside the bucket that holds the q-th observation
  const rank = q * count;
  let previousBound = 0;
  let previousCount = 0;
  for (const [bound, cumulative] of buckets) {
    if (cumulative >= rank) {
      const inBucket = cumulative - previousCount;
      return previousBound + (bound - previousBound) * (inBucket === 0 ? 0 : (rank - previousCount) / inBucket);
    }
    previousBound = bound;
    previousCount = cumulative;
  }
  return previousBound;
}

async function claimLatency(bench: BenchStack): Promise<{ p50: number; p99: number; count: number }> {
  const merged = new Map<number, number>();
  let count = 0;
  for (const worker of bench.stack.workers()) {
    const text = await (await fetch(`${worker.url}/metrics`)).text();
    for (const m of text.matchAll(/^repovault_claim_latency_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)/gm)) {
      const bound = m[1] === '+Inf' ? Infinity : Number(m[1]);
      merged.set(bound, (merged.get(bound) ?? 0) + Number(m[2]));
    }
    count += Number(/^repovault_claim_latency_seconds_count\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  }
  const buckets = [...merged.entries()].filter(([b]) => Number.isFinite(b)).sort((a, b) => a[0] - b[0]);
  return { p50: quantile(buckets, count, 0.5) * 1000, p99: quantile(buckets, count, 0.99) * 1000, count };
}

function charged(sim: RunningSimulator): { calls: number; refusals: number; violations: number } {
  let calls = 0;
  let refusals = 0;
  let violations = 0;
  for (const [identity, s] of Object.entries(sim.stats().identities)) {
    if (!identity.startsWith('github:user:')) continue;
    calls += s.byResource.core - s.notModified - s.refusals;
    refusals += s.refusals;
    violations += s.violations;
  }
  return { calls, refusals, violations };
}

async function setUp(api: RepoVaultClient, sim: RunningSimulator, tokens: string[]): Promise<{ planId: string; names: Map<string, string>; organizationId: string }> {
  const [main, ...additional] = tokens;
  const org = await api.POST('/v1/organizations', {
    body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', secret: sim.tokens[main ?? ''] ?? '' } },
  });
  if (!org.data) throw new Error(`organization: ${JSON.stringify(org.error)}`);
  const names = new Map<string, string>([[org.data.mainCredentialId ?? '', main ?? '']]);
  const ids: string[] = [];
  for (const name of additional) {
    const added = await api.POST('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: org.data.id } }, body: { method: 'token', secret: sim.tokens[name] ?? '' } });
    if (!added.data) throw new Error(`credential ${name}: ${JSON.stringify(added.error)}`);
    ids.push(added.data.id);
    names.set(added.data.id, name);
  }
  let planId: string | null = null;
  for (let i = 0; i < 200 && !planId; i++) {
    planId = (await api.GET('/v1/organizations/{id}', { params: { path: { id: org.data.id } } })).data?.defaultPlanId ?? null;
    if (!planId) await new Promise((r) => setTimeout(r, 50));
  }
  if (!planId) throw new Error('no default plan');
  await api.PATCH('/v1/plans/{id}', {
    params: { path: { id: planId } },
    body: {
      include: { git: false, lfs: false, wiki: false, issues: true, pullRequests: true, comments: true, releases: true, labels: true, milestones: true },
      advanced: { additionalCredentials: { enabled: ids.length > 0, credentialIds: ids } },
    },
  });
  return { planId, names, organizationId: org.data.id };
}

async function runCase(bench: BenchStack, c: Case, workers: number, second: boolean): Promise<string[]> {
  const repositories = Math.max(4, Math.round((WINDOWS * c.identities * L) / CALLS_PER_REPOSITORY));
  const sim = await startSimulator({ seed: seedFor(repositories), timeScale: 3600 / WINDOW_SECONDS, github: { coreLimit: L } });
  try {
    const { planId, names } = await setUp(bench.api, sim, c.tokens);
    sim.reset();
    const before = await claimLatency(bench);
    const { run, seconds } = await runAndWait(bench.api, planId);
    const after = await claimLatency(bench);
    const usage = charged(sim);
    const ideal = (usage.calls / (c.identities * L)) * WINDOW_SECONDS;
    const perCredential = [...names.keys()].map((id) => run.apiCalls.byCredential[id] ?? 0);
    const spread = Math.max(...perCredential) / Math.max(1, Math.min(...perCredential));
    const latencyCount = after.count - before.count;
    const lines = [
      `  ${c.label.padEnd(14)} ${String(workers).padStart(2)} × ${CONCURRENCY}  ${String(repositories).padStart(3)} repos ${String(usage.calls).padStart(5)} charged  ` +
        `${seconds.toFixed(1).padStart(6)} s vs ideal ${ideal.toFixed(1).padStart(5)} s  efficiency ${((ideal / seconds) * 100).toFixed(0).padStart(3)} %  ` +
        `refusals ${usage.refusals}  violations ${usage.violations}  claim p50 ${after.p50.toFixed(1)} ms p99 ${after.p99.toFixed(1)} ms (${latencyCount})  ` +
        `spread ${spread.toFixed(2)} [${perCredential.join(', ')}]  ${run.status}`,
    ];
    if (second) {
      const first = await bench.api.GET('/v1/snapshots', { params: { query: { planId, limit: 200 } } });
      const target = first.data?.items.find((s) => s.repositoryFullName === 'acme/repo-0002');
      sim.addIssueComment('acme', 'repo-0002', 1, 'a comment between two runs');
      sim.reset();
      const again = await runAndWait(bench.api, planId);
      const cost = charged(sim);
      const latest = await bench.api.GET('/v1/snapshots', { params: { query: { planId, limit: 200 } } });
      const captured = latest.data?.items.find((s) => s.repositoryFullName === 'acme/repo-0002' && s.runId === again.run.id);
      const budget = Math.floor(repositories / 100) + 5;
      lines.push(
        `  ${'  unchanged re-run'.padEnd(14)}  ${again.seconds.toFixed(1).padStart(6)} s  ${cost.calls} primary-budget calls (target ≤ ${budget}), ` +
          `${again.run.apiCalls.total} claims incl. free 304s, comment captured: ${(captured?.metadata['issueComments'] ?? 0) === (target?.metadata['issueComments'] ?? 0) + 1 ? 'yes' : 'NO'}, refusals ${cost.refusals}, violations ${cost.violations}`,
      );
    }
    return lines;
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  process.stdout.write(`bench:throttle — L = ${L} calls per identity per window, window = ${WINDOW_SECONDS} s (scaled hour), work ≈ ${WINDOWS} windows per case (Node ${process.version})\n`);
  for (const workers of [1, 4]) {
    const bench = await startBenchStack({ workers, workerConcurrency: CONCURRENCY });
    try {
      for (const c of CASES) {
        for (const line of await runCase(bench, c, workers, workers === 4 && c.label === 'K=4')) process.stdout.write(`${line}\n`);
      }
    } finally {
      await bench.close();
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
