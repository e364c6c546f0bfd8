import type { PlanRecord, RunRecord } from '@repovault/contracts/internal-api';
import { JobName, QueueName, workQueueName } from '@repovault/contracts/jobs';
import type { Page } from '@repovault/platform/http';
import { queryDatabase, waitUntil } from '@repovault/testing/support';
import { randomUUID } from 'node:crypto';
import { ScheduledRunsHandler } from '../src/runs/scheduled-runs.handler';
import { type PlanServiceStack, startPlanServiceStack } from './support/plan-service-harness';

const REPLICAS = 3;

describe('schedules with several plan-service replicas sharing one queue prefix', () => {
  let stack: PlanServiceStack;
  beforeAll(async () => {
    stack = await startPlanServiceStack({ replicas: REPLICAS });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('creates exactly one run per due time, however many replicas consume the schedule queue', async () => {
    const tenantId = randomUUID();
    const org = stack.upstreams.addOrganization(tenantId);
    const gateway = stack.as('api-gateway', tenantId);
    const plan = (await gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'frequent', organizationId: org.id, schedule: { hours: [0] } })).body;
    // every replica upserts the same scheduler (as PATCHes landing on different replicas would); a short interval for the test
    const due = { name: JobName.PlanScheduleDue, data: { tenantId, planId: plan.id } } as const;
    await Promise.all(stack.replicas.map((r) => r.producer.upsertSchedule(`plan-${plan.id}`, due, { every: 300 })));

    const schedules = stack.main.producer.queue(QueueName.PlanSchedules);
    await waitUntil(async () => (await schedules.getWorkersCount()) >= REPLICAS, { what: 'every replica to consume the schedule queue' });
    const dueJobIds = async () => (await schedules.getJobs(['completed'])).filter((j) => (j.data as { planId?: string }).planId === plan.id).map((j) => j.id ?? '');
    await waitUntil(async () => (await dueJobIds()).length >= 6, { timeoutMs: 20_000, what: 'six due times' });
    await stack.main.producer.removeSchedule(JobName.PlanScheduleDue, `plan-${plan.id}`);
    await waitUntil(async () => {
      const counts = await schedules.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(counts).every((n) => n === 0);
    }, { what: 'the schedule queue to drain' });

    const completed = await dueJobIds();
    const runs = await queryDatabase<{ id: string; schedule_key: string; trigger: string }>('SELECT id, schedule_key, trigger FROM plan.runs WHERE plan_id = $1', [plan.id]);
    expect(completed.length).toBeGreaterThanOrEqual(6);
    expect(new Set(completed).size).toBe(completed.length);
    // one run per due job, keyed by the job the scheduler generated for that due time
    expect(runs.map((r) => r.schedule_key).sort()).toEqual([...completed].sort());
    expect(runs.every((r) => r.trigger === 'schedule' && r.schedule_key.startsWith(`repeat:plan-${plan.id}:`))).toBe(true);
    // and one start job per run
    const starts = await stack.main.producer.queue(workQueueName('default')).getJobs(['waiting']);
    expect(starts.filter((j) => runs.some((r) => j.id === `run-${r.id}`))).toHaveLength(runs.length);
    const listed = (await gateway.call<Page<RunRecord>>('GET', `/internal/runs?planId=${plan.id}&limit=200`)).body.items;
    expect(listed).toHaveLength(runs.length);
    expect(listed.every((r) => r.trigger === 'schedule' && r.status === 'queued')).toBe(true);
  });

  it('makes one run when the same due job is handled by every replica at once (a stalled job run twice)', async () => {
    const tenantId = randomUUID();
    const org = stack.upstreams.addOrganization(tenantId);
    const plan = (await stack.as('api-gateway', tenantId).call<PlanRecord>('POST', '/internal/plans', { name: 'p', organizationId: org.id, schedule: { intervalMinutes: 60 } })).body;
    const jobId = `repeat:plan-${plan.id}:${Date.now() + 3_600_000}`;
    const context = { jobId, queueName: QueueName.PlanSchedules, attemptsMade: 0, maxAttempts: 5, extendLock: async () => undefined, updateProgress: async () => undefined };
    await Promise.all(stack.replicas.flatMap((r) => [1, 2].map(() => r.app.get(ScheduledRunsHandler).due({ tenantId, planId: plan.id }, context))));
    const runs = await queryDatabase('SELECT id FROM plan.runs WHERE plan_id = $1 AND schedule_key = $2', [plan.id, jobId]);
    expect(runs).toHaveLength(1);
  });

  it('ignores a due job of a plan that was deleted or made manual-only', async () => {
    const tenantId = randomUUID();
    const org = stack.upstreams.addOrganization(tenantId);
    const gateway = stack.as('api-gateway', tenantId);
    const plan = (await gateway.call<PlanRecord>('POST', '/internal/plans', { name: 'p', organizationId: org.id })).body;
    const context = { jobId: `repeat:plan-${plan.id}:1`, queueName: QueueName.PlanSchedules, attemptsMade: 0, maxAttempts: 5, extendLock: async () => undefined, updateProgress: async () => undefined };
    await stack.main.app.get(ScheduledRunsHandler).due({ tenantId, planId: plan.id }, context);
    await gateway.call('DELETE', `/internal/plans/${plan.id}`);
    await stack.main.app.get(ScheduledRunsHandler).due({ tenantId, planId: plan.id }, { ...context, jobId: `repeat:plan-${plan.id}:2` });
    expect(await queryDatabase('SELECT id FROM plan.runs WHERE plan_id = $1', [plan.id])).toEqual([]);
  });
});
