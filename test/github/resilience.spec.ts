import { startSimulator, type RunningSimulator } from '@repovault/testing/provider-simulator';
import { waitForRun } from '../support/backup-helpers';
import { type StackUnderTest, startStack } from '../support/stack-harness';
import { connectThrottleOrg, simulatorCost, throttleSeed } from '../support/throttle-world';

describe('when claims cannot be made', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;

  afterEach(async () => {
    await sut?.stop();
    await sim?.close();
  });

  it('delays jobs while credential-service is down and fails none of them', async () => {
    sim = await startSimulator({ seed: throttleSeed(1, 10), latencyMs: 30 });
    sut = await startStack({ workers: 1, workerConcurrency: 2 });
    const { client } = await sut.newTenant();
    const { planId } = await connectThrottleOrg(client, sim, 1, { git: true });
    const started = await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
    const runId = started.data?.id ?? '';
    for (;;) {
      const { data } = await client.GET('/v1/runs/{id}', { params: { path: { id: runId } } });
      if ((data?.repositories.succeeded ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const credentialService = sut.stack.process('credential-service');
    await sut.stack.kill(credentialService, 'SIGKILL'); // claims fail closed: no provider call without one
    // workers reuse credential-service's answer for 3 s and serve it 1 s more while asking again
    // (CANDIDATES_MAX_STALE_MS in the transport); calls already holding a lease may finish
    await new Promise((r) => setTimeout(r, 3_000 + 1_000 + 500));
    const during = simulatorCost(sim);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(simulatorCost(sim).charged).toBe(during.charged);
    await sut.stack.restart(credentialService);
    const run = await waitForRun(client, runId, 240_000);
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 10, succeeded: 10, failed: 0 } });
    expect(simulatorCost(sim).refusals).toBe(0);
  });
});
