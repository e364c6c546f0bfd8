import type { PlanRecord, RunClaimScope, RunRecord } from '@repovault/contracts/internal-api';
import { JobName, type WorkerLoadReport, workQueueName, workerLoadKey } from '@repovault/contracts/jobs';
import { LOCAL_REDIS } from '@repovault/testing/support';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { PoolScaling } from '../src/scaling/pool-scaling';
import { type PlanServiceStack, startPlanServiceStack } from './support/plan-service-harness';

/**
 * Worker pools as plan-service sees them: a run takes its plan's pool or its organization's default
 * pool, credential-service learns a run's pool from plan-service, and the autoscaler reads each pool's
 * runnable backlog and budget-bound state from plan-service.
 */
describe('worker pools (plan-service against PostgreSQL and Redis)', () => {
  let stack: PlanServiceStack;
  let redis: Redis;
  beforeAll(async () => {
    stack = await startPlanServiceStack();
    redis = new Redis(LOCAL_REDIS);
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack.close();
  });

  async function runOf(defaultWorkerPool: string, planPool: string | null): Promise<{ tenantId: string; plan: PlanRecord; run: RunRecord }> {
    const tenantId = randomUUID();
    const org = stack.upstreams.addOrganization(tenantId, { defaultWorkerPool });
    stack.upstreams.addRepository(org.id, `${org.name}/a`);
    const gateway = stack.as('api-gateway', tenantId);
    const plan = (await gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'nightly', organizationId: org.id, workerPool: planPool })).body;
    const run = (await gateway.call<RunRecord>('POST', `/internal/plans/${plan.id}/runs`)).body;
    return { tenantId, plan, run };
  }

  describe('a run\'s pool', () => {
    it('comes from the organization\'s default pool, or the plan\'s own pool when it names one; the start job waits on that pool\'s queue', async () => {
      const fromOrg = await runOf('eu-west', null);
      expect(fromOrg.run.workerPool).toBe('eu-west');
      expect((await stack.main.producer.queue(workQueueName('eu-west')).getJob(`run-${fromOrg.run.id}`))?.name).toBe(JobName.RunStart);
      const fromPlan = await runOf('eu-west', 'near-gitlab');
      expect(fromPlan.run.workerPool).toBe('near-gitlab');
      expect(await stack.main.producer.queue(workQueueName('near-gitlab')).getJob(`run-${fromPlan.run.id}`)).toBeDefined();
      expect(await stack.main.producer.queue(workQueueName('eu-west')).getJob(`run-${fromPlan.run.id}`)).toBeUndefined();
    });

    it('is what credential-service learns before it lets a worker claim for the run, and only credential-service may ask', async () => {
      const { tenantId, plan, run } = await runOf('default', 'eu');
      const scope = await stack.as('credential-service', tenantId).call<RunClaimScope>('GET', `/internal/runs/${run.id}/claim-scope`);
      expect(scope).toMatchObject({ status: 200, body: { runId: run.id, planId: plan.id, organizationId: plan.organizationId, workerPool: 'eu' } });
      expect((await stack.as('backup-worker', tenantId).call('GET', `/internal/runs/${run.id}/claim-scope`)).status).toBe(403);
      expect((await stack.as('credential-service', randomUUID()).call('GET', `/internal/runs/${run.id}/claim-scope`)).status).toBe(404);
    });

    it('keeps a run queued with a status detail while no worker of its pool is alive', async () => {
      const { tenantId, run } = await runOf('nobody-home', null);
      const answer = await stack.as('api-gateway', tenantId).call<RunRecord>('GET', `/internal/runs/${run.id}`);
      expect(answer.body).toMatchObject({ status: 'queued', statusDetail: 'no worker of the "nobody-home" pool is running; the run starts when one is' });
      const worker = new Worker(workQueueName('nobody-home'), null, { connection: { url: LOCAL_REDIS }, prefix: stack.prefix, autorun: false });
      try {
        await worker.waitUntilReady();
        const seen = await stack.as('api-gateway', tenantId).call<RunRecord>('GET', `/internal/runs/${run.id}`);
        expect(seen.body).toMatchObject({ status: 'queued', statusDetail: null });
      } finally {
        await worker.close();
      }
    });
  });

  describe('GET /scaling/pools/:pool (the autoscaler\'s metric)', () => {
    const scalingOf = async (pool: string, query = '') => {
      const response = await fetch(`${stack.main.url}/scaling/pools/${pool}${query}`);
      return { status: response.status, body: (await response.json()) as PoolScaling & { detail?: string } };
    };
    const job = (i: number) => ({ tenantId: randomUUID(), runId: randomUUID(), repositoryId: `${i}` });
    const report = (pool: string, worker: string, load: Partial<WorkerLoadReport>) =>
      redis.hset(workerLoadKey(stack.prefix, pool), worker, JSON.stringify({ pool, concurrency: 2, waitingForBudget: 0, at: Date.now(), ...load }));

    it('counts waiting, prioritized and delayed jobs as runnable backlog, without authentication', async () => {
      const pool = `scale-${randomUUID().slice(0, 8)}`;
      const queue = stack.main.producer.queue(workQueueName(pool));
      for (let i = 0; i < 5; i++) await queue.add(JobName.RepositoryBackup, job(i));
      for (let i = 0; i < 3; i++) await queue.add(JobName.RepositoryBackup, job(i), { priority: 2 });
      for (let i = 0; i < 4; i++) await queue.add(JobName.RepositoryBackup, job(i), { delay: 600_000 });
      const answer = await scalingOf(pool, '?concurrency=4');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        pool, jobs: { waiting: 5, prioritized: 3, delayed: 4, active: 0 }, runnableBacklog: 12,
        workers: { live: 0, concurrency: 4 }, budgetBound: false, desiredWorkers: 3,
      });
      // without a concurrency, the pool's configured one (8 for unlisted pools)
      expect((await scalingOf(pool)).body.desiredWorkers).toBe(2);
    });

    it('counts live workers from their reports, drops the reports of silent ones, and holds a budget-bound pool at its size', async () => {
      const pool = `scale-${randomUUID().slice(0, 8)}`;
      const queue = stack.main.producer.queue(workQueueName(pool));
      for (let i = 0; i < 40; i++) await queue.add(JobName.RepositoryBackup, job(i));
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const started: Job[] = [];
      const worker = new Worker(workQueueName(pool), async (j: Job) => {
        started.push(j);
        await gate;
      }, { connection: { url: LOCAL_REDIS }, prefix: stack.prefix, concurrency: 4 });
      try {
        while (started.length < 4) await new Promise((r) => setTimeout(r, 20));
        await report(pool, 'w1', { concurrency: 4 });
        await report(pool, 'gone', { concurrency: 4, at: Date.now() - 60_000 });
        const busy = await scalingOf(pool);
        expect(busy.body).toMatchObject({ jobs: { waiting: 36, active: 4 }, workers: { live: 1, concurrency: 4 }, budgetBound: false, desiredWorkers: 10 });
        expect(await redis.hexists(workerLoadKey(stack.prefix, pool), 'gone')).toBe(0);

        await report(pool, 'w1', { concurrency: 4, waitingForBudget: 3 });
        const bound = await scalingOf(pool);
        expect(bound.body).toMatchObject({ budgetBound: true, waitingForBudget: 3, desiredWorkers: 1 });
        expect(bound.body.reason).toMatch(/rate-limit budgets/);
      } finally {
        release();
        await worker.close();
        await queue.obliterate({ force: true });
      }
    });

    it('exports the figures of the configured pools on /metrics', async () => {
      await stack.main.producer.queue(workQueueName('default')).add(JobName.RepositoryBackup, job(1), { delay: 600_000 });
      const text = await (await fetch(`${stack.main.url}/metrics`)).text();
      expect(text).toMatch(/^repovault_pool_runnable_jobs\{pool="default"[^}]*\} [1-9]\d*$/m);
      expect(text).toMatch(/^repovault_pool_desired_workers\{pool="default"[^}]*\} [1-9]\d*$/m);
      expect(text).toMatch(/^repovault_pool_budget_bound\{pool="default"[^}]*\} 0$/m);
    });

    it('answers a bad pool name or concurrency with a 400 problem', async () => {
      expect((await scalingOf('Bad_Pool')).status).toBe(400);
      expect((await scalingOf('default', '?concurrency=0')).status).toBe(400);
    });
  });
});
