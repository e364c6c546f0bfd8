/**
 * `npm run bench:backup`: 200 repositories backed up by 2 worker processes × concurrency 8 against
 * the simulator; prints repositories per minute, MB/s and peak worker memory. A second, unchanged
 * run shows the incremental cost.
 */
import { demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { connectAcme, rssMb, runAndWait, snapshotBytes, startBenchStack } from './bench-support';

const REPOSITORIES = Number(process.argv[2] ?? 200);
const WORKERS = Number(process.argv[3] ?? 2);
const CONCURRENCY = Number(process.argv[4] ?? 8);

async function main(): Promise<void> {
  const seed = demoSeed('bench-backup');
  const acme = seed.organizations[0];
  if (acme?.generate) acme.generate = { ...acme.generate, count: REPOSITORIES, template: { branches: 3, commitsPerBranch: 20, tags: 3 } };
  const sim = await startSimulator({ seed, seedConcurrency: 4 });
  const bench = await startBenchStack({ workers: WORKERS, workerConcurrency: CONCURRENCY });
  try {
    const { planId } = await connectAcme(bench.api, sim, ['bob', 'carol', 'dave']);
    const workers = () => bench.stack.workers().map((w) => w.child.pid);
    let peak = 0;
    const sample = () => {
      for (const pid of workers()) peak = Math.max(peak, rssMb(pid));
    };
    const sampler = setInterval(sample, 100);
    const first = await runAndWait(bench.api, planId);
    const firstPeak = peak;
    const firstBytes = await snapshotBytes(bench.api, planId, first.run.id);
    peak = 0;
    const second = await runAndWait(bench.api, planId);
    clearInterval(sampler);
    const secondBytes = await snapshotBytes(bench.api, planId, second.run.id);
    const violations = Object.values(sim.stats().identities).reduce((n, s) => n + s.violations, 0);
    const row = (label: string, r: typeof first, bytes: typeof firstBytes, peakMb: number) =>
      `  ${label.padEnd(10)} ${r.run.status.padEnd(10)} ${String(r.run.repositories.succeeded).padStart(4)}/${r.run.repositories.total}  ` +
      `${r.seconds.toFixed(1).padStart(6)} s  ${((r.run.repositories.succeeded / r.seconds) * 60).toFixed(0).padStart(6)} repos/min  ` +
      `${(bytes.total / 1024 / 1024 / r.seconds).toFixed(2).padStart(6)} MB/s stored (${(bytes.total / 1024 / 1024).toFixed(1)} MB, ${(bytes.added / 1024 / 1024).toFixed(1)} MB new)  ` +
      `${String(r.run.apiCalls.total).padStart(6)} calls  waits ${(r.run.throttle.waitMs / 1000).toFixed(1)} s  refusals ${r.run.throttle.refusals}  peak worker RSS ${peakMb.toFixed(0)} MB`;
    process.stdout.write(
      [
        `bench:backup — ${REPOSITORIES} repositories, ${WORKERS} workers × concurrency ${CONCURRENCY}, 4 credentials (Node ${process.version})`,
        row('first run', first, firstBytes, firstPeak),
        row('unchanged', second, secondBytes, peak),
        `  simulator violations: ${violations}`,
        '',
      ].join('\n'),
    );
  } finally {
    await bench.close();
    await sim.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
