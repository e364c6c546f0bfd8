import type { RepoVaultClient } from '@repovault/contracts/public-api';
import type { RunningSimulator } from '@repovault/testing/provider-simulator';
import { readFileSync } from 'node:fs';
import { defaultPlanOf, waitForRun } from '../support/backup-helpers';
import { startGithub, token } from '../support/github-world';
import { type StackUnderTest, startStack } from '../support/stack-harness';

/**
 * Kubernetes stops a worker pod with SIGTERM (a rollout, a scale-down). The worker must take no new
 * job, finish the repositories it is in the middle of, and exit 0; the run completes on the other
 * workers with exactly one snapshot per repository.
 */
describe('SIGTERM to a worker in the middle of repositories', () => {
  const REPOSITORIES = 24;
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let planId: string;

  beforeAll(async () => {
    // provider latency makes each repository take a while, so the signal lands mid-repository
    sim = await startGithub(REPOSITORIES, { latencyMs: 250 });
    sut = await startStack({ workers: 1, workerConcurrency: 4 });
    const tenant = await sut.newTenant();
    client = tenant.client;
    const { data } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: 'alice', secret: token(sim, 'alice') } },
    });
    planId = await defaultPlanOf(client, data?.id ?? '');
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  async function runningRepositories(runId: string): Promise<Map<string, string>> {
    const { data } = await client.GET('/v1/runs/{id}/repositories', { params: { path: { id: runId }, query: { limit: 200 } } });
    return new Map((data?.items ?? []).filter((r) => r.status === 'running').map((r) => [r.repositoryId, r.fullName]));
  }

  it('finishes the repositories it holds, exits 0, and the run completes with no snapshot lost or duplicated', async () => {
    const [victim] = sut.stack.workers();
    if (!victim) throw new Error('no worker');
    const started = await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
    const runId = started.data?.id ?? '';

    // the only worker is busy with some repositories: those it is in the middle of
    let inFlight = new Map<string, string>();
    while (inFlight.size === 0) {
      inFlight = await runningRepositories(runId);
      if (inFlight.size === 0) await new Promise((r) => setTimeout(r, 25));
    }
    // a second worker joins (a rollout's new pod), then the first one is told to stop
    const successor = await sut.stack.addWorker();
    await sut.stack.waitReady(successor);

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => victim.child.once('exit', (code, signal) => resolve({ code, signal })));
    victim.child.kill('SIGTERM');
    const exit = await exited;
    const exitedAt = new Date();
    expect(exit).toEqual({ code: 0, signal: null });

    // it drained: the repositories it held were finished by it, before it exited
    const log = readFileSync(victim.log, 'utf8');
    const held = Number(/draining: no new jobs; letting (\d+) active job\(s\) finish/.exec(log)?.[1] ?? 0);
    expect(held).toBeGreaterThan(0);
    expect(log).toContain(`drained: ${held} job(s) finished`);
    const afterExit = await client.GET('/v1/runs/{id}/repositories', { params: { path: { id: runId }, query: { limit: 200 } } });
    for (const repositoryId of inFlight.keys()) {
      const row = afterExit.data?.items.find((r) => r.repositoryId === repositoryId);
      expect({ repositoryId, status: row?.status }).toEqual({ repositoryId, status: 'succeeded' });
      expect(new Date(row?.finishedAt ?? 0).getTime()).toBeLessThanOrEqual(exitedAt.getTime());
    }

    const run = await waitForRun(client, runId);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: REPOSITORIES, succeeded: REPOSITORIES, failed: 0 } });
    expect(run.throttle.refusals).toBe(0);

    // exactly one snapshot per repository, each holding what the simulator holds
    const snapshots = [];
    let cursor: string | undefined;
    do {
      const { data } = await client.GET('/v1/snapshots', { params: { query: { planId, limit: 200, cursor } } });
      snapshots.push(...(data?.items ?? []).filter((s) => s.runId === runId));
      cursor = data?.nextCursor ?? undefined;
    } while (cursor);
    expect(snapshots).toHaveLength(REPOSITORIES);
    expect(new Set(snapshots.map((s) => s.repositoryId)).size).toBe(REPOSITORIES);
    for (const snapshot of snapshots) {
      const name = snapshot.repositoryFullName.split('/')[1] ?? '';
      expect({ name, refs: snapshot.refs }).toEqual({ name, refs: sim.repository('acme', name).refs });
    }
    const violations = Object.values(sim.stats().identities).reduce((n, s) => n + s.refusals + s.violations, 0);
    expect(violations).toBe(0);
  });
});
