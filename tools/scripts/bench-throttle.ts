/**
 * `npm run bench:throttle [github|gitlab|bitbucket-cloud …]` (`BENCH_CASES=K=1,K=4` runs only those
 * cases): backs up the metadata of an organization
 * whose work needs several rate-limit windows, against the simulator with a per-identity limit L per
 * (scaled) window, for K identities, with 1 and 4 worker processes. Prints, per case: wall time
 * against the fastest a perfect client could be (the binding limit's whole budget at once in each
 * window, the last needed window opening the moment the work ends) and their ratio, the efficiency;
 * the sustained rate (charged calls per window ÷ the binding limit); refusals, violations,
 * claim latency p50/p99 and the spread of use across credentials; then the cost of a second run over
 * the unchanged organization (with one new comment in between). GitHub: K = 1, 2, 4, 8 and two tokens
 * of one identity; GitLab: the binding limit is the lower of K × the per-user limit and the per-IP
 * aggregate (every worker here shares one address); Bitbucket Cloud: a rolling hour per account.
 */
import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { type BenchStack, runAndWait, startBenchStack } from './bench-support';
import { type BenchCase, type BenchProvider, SCENARIOS, type Scenario } from './bench-throttle-scenarios';

const WINDOWS = Number(process.env['BENCH_WINDOWS'] ?? 4);
const CONCURRENCY = 8;

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

async function setUp(api: RepoVaultClient, sim: RunningSimulator, scenario: Scenario, tokens: string[]): Promise<{ planId: string; names: Map<string, string> }> {
  const [main = '', ...additional] = tokens;
  const target = scenario.organization(sim);
  const org = await api.POST('/v1/organizations', {
    body: { provider: scenario.provider, baseUrl: target.baseUrl, name: target.name, auth: { method: 'token', ...scenario.account(main), secret: sim.tokens[main] ?? '' } },
  });
  if (!org.data) throw new Error(`organization: ${JSON.stringify(org.error)}`);
  const names = new Map<string, string>([[org.data.mainCredentialId ?? '', main]]);
  const ids: string[] = [];
  for (const name of additional) {
    const added = await api.POST('/v1/organizations/{organizationId}/credentials', {
      params: { path: { organizationId: org.data.id } },
      body: { method: 'token', ...scenario.account(name), secret: sim.tokens[name] ?? '' },
    });
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
  return { planId, names };
}

/**
 * The least time N calls can take with B per window: B at once in every window, the run ending the
 * moment the window holding the N-th call opens. Windows start with the first call (GitHub), roll
 * (Bitbucket Cloud: the oldest call leaves a window after it went) or are aligned to multiples of
 * their length (GitLab: the first window ends at the next multiple after the run started).
 */
function fastestSeconds(scenario: Scenario, calls: number, binding: number, startedAtMs: number): number {
  const windows = Math.ceil(calls / binding); // windows whose budget the work needs
  if (windows <= 1) return 0;
  const w = scenario.windowSeconds;
  if (!scenario.alignedWindows) return (windows - 1) * w;
  const firstLeft = w - ((startedAtMs / 1000) % w);
  return firstLeft + (windows - 2) * w;
}

/** The cost of a second run over the unchanged organization, with one comment added in between. */
async function rerunUnchanged(bench: BenchStack, sim: RunningSimulator, scenario: Scenario, planId: string, repositories: number): Promise<string> {
  const { repository, kind, number, countField } = scenario.comment;
  const previous = (await bench.api.GET('/v1/snapshots', { params: { query: { planId, limit: 200 } } })).data?.items.find((s) => s.repositoryFullName === repository);
  const records = await bench.api.GET('/v1/snapshots/{id}/metadata/{kind}', { params: { path: { id: previous?.id ?? '', kind } }, parseAs: 'text' });
  const first = JSON.parse(String(records.data ?? '').split('\n')[0] || '{}') as Record<string, unknown>;
  const slash = repository.lastIndexOf('/');
  sim.addIssueComment(repository.slice(0, slash), repository.slice(slash + 1), number(first), 'a comment between two runs');
  sim.reset();
  const again = await runAndWait(bench.api, planId);
  const cost = scenario.charged(sim);
  const latest = (await bench.api.GET('/v1/snapshots', { params: { query: { planId, limit: 200 } } })).data?.items.find((s) => s.repositoryFullName === repository && s.runId === again.run.id);
  const captured = (latest?.metadata[countField] ?? 0) === (previous?.metadata[countField] ?? 0) + 1;
  // GitHub: free 304s, so a few calls; the others: one per repository plus the listing (100 per page)
  const target = scenario.provider === 'github' ? `≤ ${Math.floor(repositories / 100) + 5}` : `≤ ${repositories} + listing ${Math.ceil(repositories / 100) + 1}`;
  return `  ${'  unchanged re-run'.padEnd(16)}  ${again.seconds.toFixed(1).padStart(6)} s  ${cost.calls} charged calls (target ${target}), ` +
    `${again.run.apiCalls.total} claims${scenario.provider === 'github' ? ' incl. free 304s' : ''}, comment captured: ${captured ? 'yes' : 'NO'}, refusals ${cost.refusals}, violations ${cost.violations}, ${again.run.status}`;
}

async function runCase(bench: BenchStack, scenario: Scenario, c: BenchCase, workers: number, second: boolean): Promise<string[]> {
  const binding = scenario.bindingLimit(c);
  const repositories = Math.max(4, Math.round((WINDOWS * binding) / scenario.callsPerRepository));
  const sim = await startSimulator(scenario.simulator(repositories));
  try {
    const { planId, names } = await setUp(bench.api, sim, scenario, c.tokens);
    // onboarding validated each token with a few calls that no budget of its identity recorded (the
    // identity was not known yet): let them age out of the window, as they would in real use
    await new Promise((r) => setTimeout(r, scenario.windowSeconds * 1000));
    sim.reset();
    const before = await claimLatency(bench);
    const startedAt = Date.now();
    const { run, seconds } = await runAndWait(bench.api, planId);
    const after = await claimLatency(bench);
    const usage = scenario.charged(sim);
    const ideal = fastestSeconds(scenario, usage.calls, binding, startedAt);
    const sustained = usage.calls / binding / (seconds / scenario.windowSeconds);
    const perCredential = [...names.keys()].map((id) => run.apiCalls.byCredential[id] ?? 0);
    const spread = Math.max(...perCredential) / Math.max(1, Math.min(...perCredential));
    const lines = [
      `  ${c.label.padEnd(16)} ${String(workers).padStart(2)} × ${CONCURRENCY}  ${String(repositories).padStart(3)} repos ${String(usage.calls).padStart(5)} charged  ` +
        `${seconds.toFixed(1).padStart(6)} s vs fastest ${ideal.toFixed(1).padStart(5)} s  efficiency ${((ideal / seconds) * 100).toFixed(0).padStart(3)} %  sustained ${(sustained * 100).toFixed(0).padStart(3)} %  ` +
        `refusals ${usage.refusals}  violations ${usage.violations}  claim p50 ${after.p50.toFixed(1)} ms p99 ${after.p99.toFixed(1)} ms (${after.count - before.count})  ` +
        `spread ${spread.toFixed(2)} [${perCredential.join(', ')}]  ${run.status}`,
    ];
    if (run.status !== 'succeeded') lines.push(`    first errors: ${JSON.stringify(run.errors.slice(0, 3))}`);
    if (second) lines.push(await rerunUnchanged(bench, sim, scenario, planId, repositories));
    return lines;
  } finally {
    await sim.close();
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = asked.filter((a) => !(a in SCENARIOS));
  if (unknown.length > 0) throw new Error(`unknown provider(s) ${unknown.join(', ')}: choose from ${Object.keys(SCENARIOS).join(', ')}`);
  const providers = (asked.length > 0 ? asked : Object.keys(SCENARIOS)) as BenchProvider[];
  process.stdout.write(`bench:throttle — work ≈ ${WINDOWS} windows per case (Node ${process.version})\n`);
  for (const provider of providers) {
    const scenario = SCENARIOS[provider];
    process.stdout.write(`${provider}: L = ${scenario.limit} calls per identity per ${scenario.windowName}, scaled to ${scenario.windowSeconds} s\n`);
    for (const workers of [1, 4]) {
      const bench = await startBenchStack({ workers, workerConcurrency: CONCURRENCY, appEnv: { 'credential-service': scenario.credentialServiceEnv } });
      try {
        const only = process.env['BENCH_CASES']?.split(',').map((label) => label.trim());
        for (const c of scenario.cases.filter((x) => !only || only.includes(x.label))) {
          const second = workers === 4 && c === scenario.cases[scenario.cases.length - (provider === 'github' ? 3 : 1)];
          for (const line of await runCase(bench, scenario, c, workers, second)) process.stdout.write(`${line}\n`);
        }
      } finally {
        await bench.close();
      }
    }
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
