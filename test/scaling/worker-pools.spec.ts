import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { developmentServiceToken } from '@repovault/platform/config';
import type { RunningSimulator } from '@repovault/testing/provider-simulator';
import { randomBytes } from 'node:crypto';
import { defaultPlanOf, waitForRun } from '../support/backup-helpers';
import { startGithub, token } from '../support/github-world';
import { type StackUnderTest, startStack } from '../support/stack-harness';

const SERVICES = ['api-gateway', 'org-service', 'credential-service', 'plan-service', 'backup-worker'] as const;

/**
 * Worker pools through the whole stack: organizations and plans choose a pool, only that pool's
 * workers run its backups, a run whose pool has no worker waits and says so, and a worker whose
 * token is bound to another pool gets no credentials.
 */
describe('worker pools', () => {
  const euToken = `eu-${randomBytes(16).toString('hex')}`;
  let sim: RunningSimulator;
  let sut: StackUnderTest;

  beforeAll(async () => {
    sim = await startGithub(3);
    // every service accepts the development tokens, and the eu workers' own token bound to "eu"
    const peers = [...SERVICES.map((s) => `${s}=${developmentServiceToken(s)}`), `backup-worker:eu=${euToken}`].join(',');
    sut = await startStack({ workers: 0, env: { REPOVAULT_PEER_TOKENS: peers } });
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  /** acme connected by a tenant of its own, once its three repositories are discovered. */
  async function connect(body: Record<string, unknown> = {}): Promise<{ client: RepoVaultClient; organizationId: string; planId: string }> {
    const { client } = await sut.newTenant();
    const { data, error } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: 'alice', secret: token(sim, 'alice') }, ...body },
    });
    if (!data) throw new Error(JSON.stringify(error));
    const planId = await defaultPlanOf(client, data.id);
    for (let i = 0; ; i++) {
      const { data: page } = await client.GET('/v1/organizations/{id}/repositories', { params: { path: { id: data.id } } });
      if ((page?.items.length ?? 0) >= 3) break;
      if (i > 300) throw new Error('the repositories were not discovered');
      await new Promise((r) => setTimeout(r, 100));
    }
    return { client, organizationId: data.id, planId };
  }

  const startRun = async (client: RepoVaultClient, planId: string) => (await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } })).data?.id ?? '';

  it('refuses pool names that are not lowercase letters, digits and dashes, with a 400 naming the field', async () => {
    const { client } = await sut.newTenant();
    const org = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: 'alice', secret: token(sim, 'alice') }, defaultWorkerPool: 'EU West' },
    });
    expect(org.response.status).toBe(400);
    expect(JSON.stringify(org.error)).toMatch(/defaultWorkerPool/);
    const connected = await connect();
    const plan = await connected.client.PATCH('/v1/plans/{id}', { params: { path: { id: connected.planId } }, body: { workerPool: '-eu' } });
    expect(plan.response.status).toBe(400);
    expect(JSON.stringify(plan.error)).toMatch(/workerPool/);
  });

  it('runs an organization\'s backups on its default pool, and a plan\'s on the pool it names; a pool without workers keeps its run queued and says why', async () => {
    const worker = await sut.stack.addWorker({ REPOVAULT_WORKER_POOL: 'eu', REPOVAULT_SERVICE_TOKEN: euToken });
    await sut.stack.waitReady(worker);

    const { client, planId } = await connect({ defaultWorkerPool: 'eu' });
    const run = await waitForRun(client, await startRun(client, planId));
    expect(run).toMatchObject({ status: 'succeeded', workerPool: 'eu', repositories: { total: 3, succeeded: 3 } });

    // the plan overrides the organization's pool; nobody serves "default" in this stack
    await client.PATCH('/v1/plans/{id}', { params: { path: { id: planId } }, body: { workerPool: 'default' } });
    const waiting = await startRun(client, planId);
    await new Promise((r) => setTimeout(r, 1_500));
    const { data } = await client.GET('/v1/runs/{id}', { params: { path: { id: waiting } } });
    expect(data).toMatchObject({ status: 'queued', workerPool: 'default', statusDetail: 'no worker of the "default" pool is running; the run starts when one is' });

    // a worker of the pool comes up: the queued run starts and completes
    const standard = await sut.stack.addWorker();
    await sut.stack.waitReady(standard);
    expect(await waitForRun(client, waiting)).toMatchObject({ status: 'succeeded', workerPool: 'default', statusDetail: null });
    await sut.stack.kill(standard, 'SIGTERM');
    await sut.stack.kill(worker, 'SIGTERM');
  });

  it('gives a worker whose token belongs to another pool no credentials: its repositories fail with the reason', async () => {
    // an "eu" worker started with the default pool's token (a deployment mistake)
    const misconfigured = await sut.stack.addWorker({ REPOVAULT_WORKER_POOL: 'eu' });
    await sut.stack.waitReady(misconfigured);
    const { client, planId } = await connect({ defaultWorkerPool: 'eu' });
    sim.reset();
    const run = await waitForRun(client, await startRun(client, planId));
    expect(run).toMatchObject({ status: 'failed', repositories: { total: 3, failed: 3 } });
    const { data } = await client.GET('/v1/runs/{id}/repositories', { params: { path: { id: run.id } } });
    expect(data?.items).toHaveLength(3);
    for (const row of data?.items ?? []) expect(row.error).toMatch(/A worker of the "default" pool may not claim for a run of the "eu" pool/);
    // nothing reached the provider
    expect(Object.values(sim.stats().identities).reduce((n, s) => n + s.requests, 0)).toBe(0);
  });
});
