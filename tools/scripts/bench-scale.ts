/**
 * `npm run bench:scale`: the scale-out proof. The same organization is backed up by 1, 2 and 4
 * worker processes against the same PostgreSQL, Redis and simulator. The simulator adds latency to
 * every provider request, so the work is I/O-bound, and the budgets are ample (a high GitHub limit,
 * four credentials per case), so workers, not budgets, bound the speed. Prints per process count:
 * wall time, repositories per minute, speedup against one process, refusals and violations.
 * Targets: ≥ 1.8× at 2 processes, ≥ 3.2× at 4, zero refusals.
 *
 * Each case uses its own four simulator users, so no case reuses another's ETags, budgets or
 * mirrors: every case is a full first backup of the same repositories.
 *
 * It also prints the CPU the stack and the simulator used per repository and the machine's load:
 * on a shared 2-core machine, other work can make the case CPU-bound, and then no worker count helps.
 *
 *   npm run bench:scale -- [repositories=64] [concurrency per process=4] [latency ms=1000]
 */
import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, type SeedConfig, startSimulator } from '@repovault/testing/provider-simulator';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { connectAcme, rssMb, runAndWait, startBenchStack } from './bench-support';

const REPOSITORIES = Number(process.argv[2] ?? 64);
const CONCURRENCY = Number(process.argv[3] ?? 4);
const LATENCY_MS = Number(process.argv[4] ?? 1000);
const PROCESS_COUNTS = [1, 2, 4] as const;
const TARGETS: Record<number, number> = { 2: 1.8, 4: 3.2 };
const USERS_PER_CASE = 4;

/** acme with REPOSITORIES small repositories; users p1-u1…p4-u4 (four per case), all members. */
function seed(): SeedConfig {
  const users = PROCESS_COUNTS.flatMap((p) => Array.from({ length: USERS_PER_CASE }, (_, i) => `p${p}-u${i + 1}`));
  return {
    seed: `bench-scale-${REPOSITORIES}`,
    users: users.map((login) => ({ login, tokens: [{ name: login, kind: 'classic' as const, scopes: ['repo', 'read:org'] }] })),
    organizations: [{ login: 'acme', owners: users, members: [], generate: { count: REPOSITORIES, namePrefix: 'repo', privateEvery: 3 } }],
  };
}

interface CaseResult {
  processes: number;
  seconds: number;
  succeeded: number;
  total: number;
  status: string;
  refusals: number;
  violations: number;
  calls: number;
  peakRssMb: number;
  /** CPU seconds of the five services' processes, the simulator and its git children during the run */
  cpuSeconds: number;
  /** the machine's 1-minute load average when the run ended */
  load: number;
}

const TICKS_PER_SECOND = 100;

/** CPU seconds a process and its finished children used (utime + stime + cutime + cstime). */
function cpuSecondsOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // after the command: state is field 3, utime 14 … cstime 17 (1-based in proc(5))
    return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i] ?? 0), 0) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

async function runCase(sim: RunningSimulator, processes: number): Promise<CaseResult> {
  const bench = await startBenchStack({ workers: processes, workerConcurrency: CONCURRENCY });
  try {
    const users = Array.from({ length: USERS_PER_CASE }, (_, i) => `p${processes}-u${i + 1}`);
    const { planId } = await connectAcme(bench.api, sim, users.slice(1), users[0]);
    await waitForInventory(bench.api, planId);
    sim.reset();
    const pids = [process.pid, ...bench.stack.processes.map((p) => p.child.pid)];
    const cpuBefore = pids.reduce<number>((n, pid) => n + cpuSecondsOf(pid), 0);
    let peak = 0;
    const sampler = setInterval(() => {
      for (const worker of bench.stack.workers()) peak = Math.max(peak, rssMb(worker.child.pid));
    }, 250);
    const { run, seconds } = await runAndWait(bench.api, planId).finally(() => clearInterval(sampler));
    const cpuSeconds = pids.reduce<number>((n, pid) => n + cpuSecondsOf(pid), 0) - cpuBefore;
    const stats = Object.values(sim.stats().identities);
    return {
      processes, seconds, succeeded: run.repositories.succeeded, total: run.repositories.total, status: run.status,
      refusals: run.throttle.refusals + stats.reduce((n, s) => n + s.refusals, 0),
      violations: stats.reduce((n, s) => n + s.violations, 0),
      calls: run.apiCalls.total,
      peakRssMb: peak,
      cpuSeconds,
      load: loadavg()[0] ?? 0,
    };
  } finally {
    await bench.close();
  }
}

/** The organization's repositories are discovered after it is connected: wait until all are listed. */
async function waitForInventory(api: RepoVaultClient, planId: string): Promise<void> {
  const plan = (await api.GET('/v1/plans/{id}', { params: { path: { id: planId } } })).data;
  const organizationId = plan?.organizationId ?? '';
  for (let i = 0; i < 600; i++) {
    const page = (await api.GET('/v1/organizations/{id}/repositories', { params: { path: { id: organizationId }, query: { limit: 200 } } })).data;
    if ((page?.items.length ?? 0) >= REPOSITORIES) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the repositories were not discovered');
}

async function main(): Promise<void> {
  const sim = await startSimulator({ seed: seed(), latencyMs: LATENCY_MS, github: { coreLimit: 1_000_000 }, seedConcurrency: 4 });
  const results: CaseResult[] = [];
  try {
    for (const processes of PROCESS_COUNTS) {
      const result = await runCase(sim, processes);
      results.push(result);
      process.stderr.write(`  … ${processes} process(es): ${result.seconds.toFixed(1)} s, ${result.status} ${result.succeeded}/${result.total}\n`);
    }
  } finally {
    await sim.close();
  }
  const base = results[0];
  const perMinute = (r: CaseResult) => (r.succeeded / r.seconds) * 60;
  const lines = [
    `bench:scale — ${REPOSITORIES} repositories, ${LATENCY_MS} ms provider latency, ${CONCURRENCY} jobs per worker process, 4 credentials, ample budgets (Node ${process.version})`,
    '  processes      time   repos/min  speedup  target  refusals  violations  calls  CPU s/repo  load  peak worker RSS  run',
  ];
  let met = true;
  for (const r of results) {
    const speedup = base ? perMinute(r) / perMinute(base) : 1;
    const target = TARGETS[r.processes];
    const ok = (target === undefined || speedup >= target) && r.refusals === 0 && r.violations === 0 && r.succeeded === r.total;
    met &&= ok;
    lines.push(
      `  ${String(r.processes).padStart(9)}  ${r.seconds.toFixed(1).padStart(6)} s  ${perMinute(r).toFixed(1).padStart(9)}  ${speedup.toFixed(2).padStart(6)}×  ` +
        `${target === undefined ? '     -' : `≥${target.toFixed(1)}×`.padStart(6)}  ${String(r.refusals).padStart(8)}  ${String(r.violations).padStart(10)}  ` +
        `${String(r.calls).padStart(5)}  ${(r.cpuSeconds / Math.max(1, r.succeeded)).toFixed(2).padStart(10)}  ${r.load.toFixed(1).padStart(4)}  ` +
        `${r.peakRssMb.toFixed(0).padStart(12)} MB  ${r.status} ${r.succeeded}/${r.total}${ok ? '' : '  ← misses its target'}`,
    );
  }
  lines.push(`  targets ${met ? 'met' : 'NOT met'} (≥ 1.8× at 2 processes, ≥ 3.2× at 4, zero refusals and violations, every repository backed up)`, '');
  process.stdout.write(lines.join('\n'));
  if (!met) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
