import { startSimulator, type RunningSimulator } from '@repovault/testing/provider-simulator';
import { runPlan, snapshotsOf } from '../support/backup-helpers';
import { type StackUnderTest, startStack } from '../support/stack-harness';
import { connectThrottleOrg, simulatorCost, throttleSeed } from '../support/throttle-world';

describe('throttle-proof claims against tight budgets', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;

  afterEach(async () => {
    await sut?.stop();
    await sim?.close();
  });

  it('lets four workers share tight budgets with zero refusals and zero violations, evenly', async () => {
    // 2 identities × 25 calls per 3-second window; ~10 calls per repository, 12 repositories: several windows
    sim = await startSimulator({ seed: throttleSeed(2, 12), timeScale: 1200, github: { coreLimit: 25 } });
    sut = await startStack({ workers: 4, workerConcurrency: 8 });
    const { client } = await sut.newTenant();
    const { planId, credentialIds } = await connectThrottleOrg(client, sim, 2);
    sim.reset();
    const run = await runPlan(client, planId);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 12, succeeded: 12 } });
    const cost = simulatorCost(sim);
    expect(cost.refusals).toBe(0);
    expect(cost.violations).toBe(0);
    expect(run.throttle.refusals).toBe(0);
    expect(cost.charged).toBeGreaterThan(2 * 25 * 2); // the work really needed more than two windows
    const uses = credentialIds.map((id) => run.apiCalls.byCredential[id] ?? 0);
    expect(Math.max(...uses) / Math.min(...uses)).toBeLessThanOrEqual(1.2);
  });

  it('re-runs an unchanged organization for almost nothing while capturing a new comment (ETags, free 304s)', async () => {
    sim = await startSimulator({ seed: throttleSeed(2, 15) });
    sut = await startStack({ workers: 1 });
    const { client } = await sut.newTenant();
    const { planId } = await connectThrottleOrg(client, sim, 2);
    const first = await runPlan(client, planId);
    expect(first.status).toBe('succeeded');
    const before = await snapshotsOf(client, planId, first.id);
    sim.addIssueComment('acme', 'repo-0003', 1, 'a comment between two runs');
    sim.reset();
    const second = await runPlan(client, planId);
    expect(second.status).toBe('succeeded');
    const cost = simulatorCost(sim);
    expect(cost.charged).toBeLessThanOrEqual(Math.floor(15 / 100) + 5);
    expect(cost.notModified).toBeGreaterThan(15 * 5); // the rest was revalidated for free
    const after = await snapshotsOf(client, planId, second.id);
    expect(after.get('acme/repo-0003')?.metadata['issueComments']).toBe((before.get('acme/repo-0003')?.metadata['issueComments'] ?? 0) + 1);
    expect(after.get('acme/repo-0004')?.metadata).toEqual(before.get('acme/repo-0004')?.metadata);
  });
});
