import type { OrganizationRecord, PlanRecord, RepositoryRecord, RunRecord, RunRepositoryRecord, RunWork, SnapshotRecord } from '@repovault/contracts/internal-api';
import { JobName, workQueueName } from '@repovault/contracts/jobs';
import type { Page } from '@repovault/platform/http';
import { createLocalSnapshotStore, type SnapshotStore } from '@repovault/platform/storage';
import { queryDatabase } from '@repovault/testing/support';
import { randomUUID } from 'node:crypto';
import { type InternalCaller, type PlanServiceStack, startPlanServiceStack } from './support/plan-service-harness';
import { publishSnapshot } from './support/snapshots';

describe('runs (plan-service against PostgreSQL, Redis, a local store and fake org/credential services)', () => {
  let stack: PlanServiceStack;
  let store: SnapshotStore;
  beforeAll(async () => {
    stack = await startPlanServiceStack();
    store = createLocalSnapshotStore(stack.storageDir);
  });
  afterAll(async () => {
    await stack.close();
  });

  interface Setup {
    tenantId: string;
    org: OrganizationRecord;
    repos: RepositoryRecord[];
    plan: PlanRecord;
    gateway: InternalCaller;
    worker: InternalCaller;
  }

  /** An organization with repositories a–e (e deleted upstream) and a plan that excludes c. */
  async function setup(planBody: Record<string, unknown> = {}): Promise<Setup> {
    const tenantId = randomUUID();
    const org = stack.upstreams.addOrganization(tenantId);
    const repos = ['a', 'b', 'c', 'd'].map((n) => stack.upstreams.addRepository(org.id, `${org.name}/${n}`));
    stack.upstreams.addRepository(org.id, `${org.name}/e`, 'deleted');
    const gateway = stack.as('api-gateway', tenantId);
    const plan = (await gateway.call<PlanRecord>('POST', '/internal/plans', {
      name: 'nightly', organizationId: org.id, repositories: { mode: 'all', exclude: [repos[2]?.id] }, ...planBody,
    })).body;
    return { tenantId, org, repos, plan, gateway, worker: stack.as('backup-worker', tenantId) };
  }

  const runNow = (s: Setup, key?: string) => s.gateway.call<RunRecord>('POST', `/internal/plans/${s.plan.id}/runs`, undefined, key ? { 'idempotency-key': key } : {});
  const startJob = (runId: string, pool = 'default') => stack.main.producer.queue(workQueueName(pool)).getJob(`run-${runId}`);
  const succeeded = async (s: Setup, runId: string, repo: RepositoryRecord, bundle = `bundle of ${repo.fullName}`) => {
    const snapshot = await publishSnapshot(store, { tenantId: s.tenantId, organizationId: s.org.id, planId: s.plan.id, runId, repositoryId: repo.id, fullName: repo.fullName }, { bundle, metadata: { issues: ['{"number":1}'] } });
    return s.worker.call<RunRepositoryRecord>('POST', `/internal/runs/${runId}/repositories/${repo.id}/result`, { status: 'succeeded', snapshot });
  };
  const failed = (s: Setup, runId: string, repo: RepositoryRecord, error = 'boom') =>
    s.worker.call<RunRepositoryRecord>('POST', `/internal/runs/${runId}/repositories/${repo.id}/result`, { status: 'failed', error });

  describe('Run now', () => {
    it('queues a manual run and enqueues its start job on the worker pool', async () => {
      const s = await setup();
      const answer = await runNow(s);
      expect(answer.status).toBe(202);
      expect(answer.body).toMatchObject({
        planId: s.plan.id, organizationId: s.org.id, status: 'queued', trigger: 'manual', workerPool: 'default', startedAt: null, finishedAt: null,
        repositories: { total: 0, succeeded: 0, failed: 0, skipped: 0, pending: 0 }, apiCalls: { total: 0, byCredential: {} }, throttle: { waitMs: 0, refusals: 0 }, errors: [],
      });
      expect(answer.body.statusDetail).toContain('no worker');
      const job = await startJob(answer.body.id);
      expect(job?.name).toBe(JobName.RunStart);
      expect(job?.data).toEqual({ tenantId: s.tenantId, runId: answer.body.id });

      const pooled = await setup({ workerPool: 'eu-west' });
      const run = (await runNow(pooled)).body;
      expect(run.workerPool).toBe('eu-west');
      expect(await startJob(run.id, 'eu-west')).toBeDefined();
      expect((await s.gateway.call('POST', `/internal/plans/${randomUUID()}/runs`)).status).toBe(404);
      expect((await stack.as('api-gateway', randomUUID()).call('POST', `/internal/plans/${s.plan.id}/runs`)).status).toBe(404);
    });

    it('answers a repeated Idempotency-Key with the first run, even when the retries are concurrent', async () => {
      const s = await setup();
      const key = `retry-${randomUUID()}`;
      const first = await runNow(s, key);
      const again = await runNow(s, key);
      expect(again.status).toBe(202);
      expect(again.body.id).toBe(first.body.id);

      const concurrentKey = randomUUID();
      const answers = await Promise.all(Array.from({ length: 10 }, () => runNow(s, concurrentKey)));
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);

      const withoutKey = await runNow(s);
      expect(withoutKey.body.id).not.toBe(first.body.id);
      const rows = await queryDatabase<{ count: string }>('SELECT COUNT(*) AS count FROM plan.runs WHERE plan_id = $1', [s.plan.id]);
      expect(Number(rows[0]?.count)).toBe(3);
      const listed = await s.gateway.call<Page<RunRecord>>('GET', `/internal/runs?planId=${s.plan.id}`);
      expect(listed.body.items.map((r) => r.id)).toEqual([withoutKey.body.id, answers[0]?.body.id, first.body.id]);

      // the key belongs to the tenant: another plan cannot reuse it, another tenant is unaffected
      const otherPlan = (await s.gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'other', organizationId: s.org.id })).body;
      expect((await s.gateway.call('POST', `/internal/plans/${otherPlan.id}/runs`, undefined, { 'idempotency-key': key })).status).toBe(422);
      const t = await setup();
      expect((await runNow(t, key)).body.id).not.toBe(first.body.id);
      expect((await s.gateway.call('POST', `/internal/plans/${s.plan.id}/runs`, undefined, { 'idempotency-key': 'x'.repeat(201) })).status).toBe(400);
    });
  });

  describe('a run reported by workers', () => {
    it('fixes its repositories on the first work call, then records starts and results until it finishes', async () => {
      const s = await setup();
      const [a, b, , d] = s.repos as [RepositoryRecord, RepositoryRecord, RepositoryRecord, RepositoryRecord];
      const run = (await runNow(s)).body;
      const works = await Promise.all(Array.from({ length: 5 }, () => s.worker.call<RunWork>('GET', `/internal/runs/${run.id}/work`)));
      const expectedIds = [a.id, b.id, d.id];
      for (const work of works) {
        expect(work.status).toBe(200);
        expect(work.body).toMatchObject({ runId: run.id, planId: s.plan.id, organizationId: s.org.id, status: 'running', workerPool: 'default', include: s.plan.include });
        expect(work.body.repositoryIds).toEqual(expectedIds);
      }
      // an active repository discovered after the run started is not part of it
      stack.upstreams.addRepository(s.org.id, `${s.org.name}/f`);
      expect((await s.worker.call<RunWork>('GET', `/internal/runs/${run.id}/work`)).body.repositoryIds).toEqual(expectedIds);
      expect(stack.upstreams.requests.filter((r) => r.includes(`/internal/organizations/${s.org.id}/repositories?`)).every((r) => r.includes('status=active'))).toBe(true);

      const started = await s.worker.call<RunRepositoryRecord>('POST', `/internal/runs/${run.id}/repositories/${a.id}/started`);
      expect(started.body).toMatchObject({ repositoryId: a.id, fullName: a.fullName, status: 'running', snapshotId: null });
      const startedAgain = await s.worker.call<RunRepositoryRecord>('POST', `/internal/runs/${run.id}/repositories/${a.id}/started`);
      expect(startedAgain.body.startedAt).toBe(started.body.startedAt);

      const ok = await succeeded(s, run.id, a);
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ status: 'succeeded', snapshotId: expect.any(String), error: null });
      const repeated = await s.worker.call<RunRepositoryRecord>('POST', `/internal/runs/${run.id}/repositories/${a.id}/result`, { status: 'failed', error: 'late' });
      expect(repeated.body).toEqual(ok.body);

      await failed(s, run.id, b, 'clone failed: 500');
      let record = (await s.gateway.call<RunRecord>('GET', `/internal/runs/${run.id}`)).body;
      expect(record).toMatchObject({ status: 'running', repositories: { total: 3, succeeded: 1, failed: 1, skipped: 0, pending: 1 } });
      await s.worker.call('POST', `/internal/runs/${run.id}/repositories/${d.id}/result`, { status: 'skipped', error: 'archived' });

      stack.upstreams.usage.set(run.id, { total: 42, byCredential: { [s.org.mainCredentialId ?? '']: 42 }, waitMs: 1500, refusals: 0 });
      record = (await s.gateway.call<RunRecord>('GET', `/internal/runs/${run.id}`)).body;
      expect(record).toMatchObject({
        status: 'partially-failed',
        trigger: 'manual',
        statusDetail: null,
        repositories: { total: 3, succeeded: 1, failed: 1, skipped: 1, pending: 0 },
        apiCalls: { total: 42, byCredential: { [s.org.mainCredentialId ?? '']: 42 } },
        throttle: { waitMs: 1500, refusals: 0 },
        errors: [{ repositoryId: b.id, message: 'clone failed: 500' }],
      });
      expect(record.startedAt).not.toBeNull();
      expect(record.finishedAt).not.toBeNull();

      const page1 = (await s.gateway.call<Page<RunRepositoryRecord>>('GET', `/internal/runs/${run.id}/repositories?limit=2`)).body;
      const page2 = (await s.gateway.call<Page<RunRepositoryRecord>>('GET', `/internal/runs/${run.id}/repositories?limit=2&cursor=${page1.nextCursor}`)).body;
      expect([...page1.items, ...page2.items].map((r) => [r.fullName, r.status])).toEqual([[a.fullName, 'succeeded'], [b.fullName, 'failed'], [d.fullName, 'skipped']]);
      expect(page2.nextCursor).toBeNull();

      const latest = await s.worker.call<SnapshotRecord>('GET', `/internal/repositories/${a.id}/latest-snapshot`);
      expect(latest.body).toMatchObject({ id: ok.body.snapshotId, repositoryId: a.id, runId: run.id, planId: s.plan.id, metadata: { issues: 1 } });
      expect((await s.worker.call('GET', `/internal/repositories/${b.id}/latest-snapshot`)).status).toBe(404);
    });

    it('finishes as failed when every repository failed and as succeeded when none did', async () => {
      const t = await setup();
      const [a, b, , d] = t.repos as [RepositoryRecord, RepositoryRecord, RepositoryRecord, RepositoryRecord];
      const bad = (await runNow(t)).body;
      await t.worker.call('GET', `/internal/runs/${bad.id}/work`);
      for (const repo of [a, b, d]) await failed(t, bad.id, repo);
      expect((await t.gateway.call<RunRecord>('GET', `/internal/runs/${bad.id}`)).body.status).toBe('failed');

      const good = (await runNow(t)).body;
      await t.worker.call('GET', `/internal/runs/${good.id}/work`);
      for (const repo of [a, b, d]) expect((await succeeded(t, good.id, repo)).status).toBe(200);
      const record = (await t.gateway.call<RunRecord>('GET', `/internal/runs/${good.id}`)).body;
      expect(record).toMatchObject({ status: 'succeeded', repositories: { total: 3, succeeded: 3, failed: 0, skipped: 0, pending: 0 }, errors: [] });
    });

    it('finishes at once when nothing is selected, and fails when the organization is gone', async () => {
      const s = await setup();
      const gone = stack.upstreams.addRepository(s.org.id, `${s.org.name}/gone`, 'deleted');
      const plan = (await s.gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'x', organizationId: s.org.id, repositories: { mode: 'selected', ids: [gone.id] } })).body;
      const empty = (await s.gateway.call<RunRecord>('POST', `/internal/plans/${plan.id}/runs`)).body;
      expect((await s.worker.call<RunWork>('GET', `/internal/runs/${empty.id}/work`)).body).toMatchObject({ status: 'succeeded', repositoryIds: [] });

      const orphan = (await runNow(s)).body;
      stack.upstreams.organizations.delete(s.org.id);
      expect((await s.worker.call<RunWork>('GET', `/internal/runs/${orphan.id}/work`)).body).toMatchObject({ status: 'failed', repositoryIds: [] });
      expect((await s.gateway.call<RunRecord>('GET', `/internal/runs/${orphan.id}`)).body.errors).toEqual([{ repositoryId: null, message: 'the organization no longer exists' }]);
    });

    it('refuses results that do not fit the run', async () => {
      const s = await setup();
      const [a, b] = s.repos as [RepositoryRecord, RepositoryRecord];
      const other = await setup();
      const run = (await runNow(s)).body;
      await s.worker.call('GET', `/internal/runs/${run.id}/work`);
      const path = `/internal/runs/${run.id}/repositories/${a.id}/result`;
      expect((await s.worker.call('POST', path, { status: 'succeeded' })).status).toBe(422);
      expect((await s.worker.call('POST', path, { status: 'done' })).status).toBe(400);
      const unpublished = { ...(await publishSnapshot(store, { tenantId: s.tenantId, organizationId: s.org.id, planId: s.plan.id, runId: run.id, repositoryId: a.id, fullName: a.fullName }, { bundle: 'x' })), id: randomUUID() };
      expect((await s.worker.call<{ type: string }>('POST', path, { status: 'succeeded', snapshot: unpublished })).body.type).toContain('snapshot-not-published');
      const ofB = await publishSnapshot(store, { tenantId: s.tenantId, organizationId: s.org.id, planId: s.plan.id, runId: run.id, repositoryId: b.id, fullName: b.fullName }, { bundle: 'y' });
      expect((await s.worker.call<{ type: string }>('POST', path, { status: 'succeeded', snapshot: ofB })).body.type).toContain('snapshot-mismatch');
      expect((await s.worker.call('POST', `/internal/runs/${run.id}/repositories/${other.repos[0]?.id}/result`, { status: 'failed' })).status).toBe(404);
      expect((await other.worker.call('POST', path, { status: 'failed' })).status).toBe(404);
      expect((await s.gateway.call('POST', path, { status: 'failed' })).status).toBe(403);
    });
  });

  describe('cancel', () => {
    it('cancels a queued run and drops its start job; a finished run answers 409', async () => {
      const s = await setup();
      const run = (await runNow(s)).body;
      expect(await startJob(run.id)).toBeDefined();
      const cancelled = await s.gateway.call<RunRecord>('POST', `/internal/runs/${run.id}/cancel`);
      expect(cancelled.status).toBe(202);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', finishedAt: expect.any(String) });
      expect(await startJob(run.id)).toBeUndefined();
      expect((await s.gateway.call('POST', `/internal/runs/${run.id}/cancel`)).status).toBe(409);
      expect((await s.worker.call<RunWork>('GET', `/internal/runs/${run.id}/work`)).body).toMatchObject({ status: 'cancelled', repositoryIds: [] });
      expect((await stack.as('api-gateway', randomUUID()).call('POST', `/internal/runs/${run.id}/cancel`)).status).toBe(404);
    });

    it('skips the repositories of a running run that have not started; those running still report', async () => {
      const s = await setup();
      const [a, b, , d] = s.repos as [RepositoryRecord, RepositoryRecord, RepositoryRecord, RepositoryRecord];
      const run = (await runNow(s)).body;
      await s.worker.call('GET', `/internal/runs/${run.id}/work`);
      await s.worker.call('POST', `/internal/runs/${run.id}/repositories/${a.id}/started`);
      const cancelled = (await s.gateway.call<RunRecord>('POST', `/internal/runs/${run.id}/cancel`)).body;
      expect(cancelled).toMatchObject({ status: 'cancelled', repositories: { total: 3, skipped: 2, pending: 1 } });
      // a worker that picks up a skipped repository learns it should not start
      expect((await s.worker.call<RunRepositoryRecord>('POST', `/internal/runs/${run.id}/repositories/${b.id}/started`)).body.status).toBe('skipped');
      expect((await succeeded(s, run.id, a)).body.status).toBe('succeeded');
      const record = (await s.gateway.call<RunRecord>('GET', `/internal/runs/${run.id}`)).body;
      expect(record).toMatchObject({ status: 'cancelled', repositories: { total: 3, succeeded: 1, skipped: 2, pending: 0 } });
      expect((await s.worker.call<RunWork>('GET', `/internal/runs/${run.id}/work`)).body).toMatchObject({ status: 'cancelled', repositoryIds: [a.id, b.id, d.id] });
    });
  });
});
