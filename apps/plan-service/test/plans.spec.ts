import type { OrganizationRecord, PlanCredentialPolicy, PlanRecord } from '@repovault/contracts/internal-api';
import { type DomainEvent, JobName, QueueName, eventsQueueName } from '@repovault/contracts/jobs';
import type { Page } from '@repovault/platform/http';
import { waitUntil } from '@repovault/testing/support';
import { randomUUID } from 'node:crypto';
import { defaultPlanHour } from '../src/plans/plan-schedule';
import { type PlanServiceStack, startPlanServiceStack } from './support/plan-service-harness';

describe('plans (plan-service against PostgreSQL, Redis and fake org/credential services)', () => {
  let stack: PlanServiceStack;
  beforeAll(async () => {
    stack = await startPlanServiceStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  const gateway = (tenantId: string) => stack.as('api-gateway', tenantId);
  const newOrganization = (): { tenantId: string; org: OrganizationRecord } => {
    const tenantId = randomUUID();
    return { tenantId, org: stack.upstreams.addOrganization(tenantId) };
  };
  const scheduler = (planId: string) => stack.main.producer.queue(QueueName.PlanSchedules).getJobScheduler(`plan-${planId}`);
  const publishedEvents = async (type: DomainEvent['type']): Promise<DomainEvent[]> => {
    const jobs = await stack.main.producer.queue(eventsQueueName('org-service')).getJobs(['waiting', 'delayed', 'active', 'completed']);
    return jobs.map((j) => j.data as DomainEvent).filter((e) => e.type === type);
  };

  describe('the default plan', () => {
    it('is created once when organization.created is delivered twice, and announced with default-plan.created', async () => {
      const { tenantId, org } = newOrganization();
      const event: DomainEvent = { type: 'organization.created', tenantId, organizationId: org.id, defaultWorkerPool: 'default' };
      await Promise.all([stack.main.producer.publish(event), stack.main.producer.publish(event)]);
      let plans: PlanRecord[] = [];
      await waitUntil(async () => {
        plans = (await gateway(tenantId).call<Page<PlanRecord>>('GET', `/internal/plans?organizationId=${org.id}`)).body.items;
        return plans.length > 0 && (await publishedEvents('default-plan.created')).filter((e) => 'organizationId' in e && e.organizationId === org.id).length >= 1;
      }, { what: 'the default plan' });
      // both deliveries have been handled: still one plan
      await waitUntil(async () => (await stack.main.producer.queue(eventsQueueName('plan-service')).getJobCounts('waiting', 'active')).active === 0);
      await waitUntil(async () => (await stack.main.producer.queue(eventsQueueName('plan-service')).getJobCounts('waiting')).waiting === 0);
      plans = (await gateway(tenantId).call<Page<PlanRecord>>('GET', `/internal/plans?organizationId=${org.id}`)).body.items;
      expect(plans).toHaveLength(1);
      const plan = plans[0] as PlanRecord;
      expect(plan).toMatchObject({
        name: 'Default plan',
        isDefault: true,
        organizationId: org.id,
        repositories: { mode: 'all', exclude: [] },
        include: { git: true, lfs: true, wiki: true, issues: true, pullRequests: true, comments: true, releases: true, labels: true, milestones: true },
        schedule: { hours: [defaultPlanHour(org.id)] },
        retention: { keepLast: 30 },
        advanced: { additionalCredentials: { enabled: false, credentialIds: [] } },
        workerPool: null,
        warnings: [],
      });
      expect(plan.nextRunAt).not.toBeNull();
      expect(new Date(plan.nextRunAt ?? '').getUTCHours()).toBe(defaultPlanHour(org.id));
      const announced = (await publishedEvents('default-plan.created')).filter((e) => 'organizationId' in e && e.organizationId === org.id);
      expect(announced.length).toBeGreaterThanOrEqual(1);
      expect(new Set(announced.map((e) => ('planId' in e ? e.planId : null)))).toEqual(new Set([plan.id]));
      expect((await scheduler(plan.id))?.pattern).toBe(`0 ${defaultPlanHour(org.id)} * * *`);
      // the default plan is edited ("Customize policy"), not deleted
      expect((await gateway(tenantId).call('DELETE', `/internal/plans/${plan.id}`)).status).toBe(409);
    });

    it('spreads default plans over the hours of the day', () => {
      const hours = new Set(Array.from({ length: 200 }, () => defaultPlanHour(randomUUID())));
      expect(hours.size).toBeGreaterThan(12);
      const id = randomUUID();
      expect(defaultPlanHour(id)).toBe(defaultPlanHour(id));
    });
  });

  describe('validation', () => {
    it('creates a plan with defaults and answers 404 for an unknown or other tenant organization', async () => {
      const { tenantId, org } = newOrganization();
      const created = await gateway(tenantId).call<PlanRecord>('POST', '/internal/plans', { name: 'nightly', organizationId: org.id });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'nightly', isDefault: false, repositories: { mode: 'all', exclude: [] }, schedule: null, nextRunAt: null, retention: { keepLast: 30 },
        advanced: { additionalCredentials: { enabled: false, credentialIds: [] } },
      });
      expect(Object.values(created.body.include).every(Boolean)).toBe(true);
      expect((await gateway(tenantId).call('POST', '/internal/plans', { name: 'x', organizationId: randomUUID() })).status).toBe(404);
      expect((await gateway(randomUUID()).call('POST', '/internal/plans', { name: 'x', organizationId: org.id })).status).toBe(404);
      expect((await gateway(randomUUID()).call('GET', `/internal/plans/${created.body.id}`)).status).toBe(404);
    });

    it('refuses bad input with a 400 that lists the fields', async () => {
      const { tenantId, org } = newOrganization();
      const caller = gateway(tenantId);
      const bad = async (body: Record<string, unknown>) => caller.call<{ errors?: { field: string }[] }>('POST', '/internal/plans', { name: 'p', organizationId: org.id, ...body });
      const cases: [Record<string, unknown>, string][] = [
        [{ schedule: { hours: [2], cron: '0 2 * * *' } }, 'schedule'],
        [{ schedule: {} }, 'schedule'],
        [{ schedule: { cron: '0 25 * * *' } }, 'schedule.cron'],
        [{ schedule: { cron: '* * * *' } }, 'schedule.cron'],
        [{ schedule: { hours: [24] } }, 'schedule.hours'],
        [{ schedule: { intervalMinutes: 1 } }, 'schedule.intervalMinutes'],
        [{ retention: { keepLast: 0 } }, 'retention.keepLast'],
        [{ workerPool: 'Bad Pool' }, 'workerPool'],
        [{ repositories: { mode: 'selected' } }, 'repositories.ids'],
        [{ repositories: { mode: 'all', ids: [randomUUID()] } }, 'repositories.ids'],
        [{ repositories: { mode: 'some' } }, 'repositories.mode'],
        [{ include: { git: 'yes' } }, 'include.git'],
        [{ advanced: { additionalCredentials: { credentialIds: ['nope'] } } }, 'advanced.additionalCredentials.credentialIds'],
        [{ name: null }, 'name'],
        [{ extra: 1 }, 'extra'],
      ];
      for (const [body, field] of cases) {
        const answer = await bad(body);
        expect({ body, status: answer.status }).toEqual({ body, status: 400 });
        expect(answer.body.errors?.map((e) => e.field)).toContain(field);
      }
    });

    it('accepts hours, intervals and cron and keeps one job scheduler per plan in step', async () => {
      const { tenantId, org } = newOrganization();
      const caller = gateway(tenantId);
      const plan = (await caller.call<PlanRecord>('POST', '/internal/plans', { name: 'p', organizationId: org.id, schedule: { hours: [5, 2] } })).body;
      expect(plan.schedule).toEqual({ hours: [2, 5] });
      expect(await scheduler(plan.id)).toMatchObject({ pattern: '0 2,5 * * *', tz: 'UTC' });
      expect(plan.nextRunAt).not.toBeNull();

      const cron = await caller.call<PlanRecord>('PATCH', `/internal/plans/${plan.id}`, { schedule: { cron: '30 */6 * * MON-FRI' } });
      expect(cron.body.schedule).toEqual({ cron: '30 */6 * * MON-FRI' });
      expect(await scheduler(plan.id)).toMatchObject({ pattern: '30 */6 * * MON-FRI', tz: 'UTC' });
      expect(new Date(cron.body.nextRunAt ?? '').getUTCMinutes()).toBe(30);

      const interval = await caller.call<PlanRecord>('PATCH', `/internal/plans/${plan.id}`, { schedule: { intervalMinutes: 90 } });
      expect(interval.body.schedule).toEqual({ intervalMinutes: 90 });
      expect((await scheduler(plan.id))?.every).toBe(90 * 60_000);

      const renamed = await caller.call<PlanRecord>('PATCH', `/internal/plans/${plan.id}`, { name: 'renamed', include: { wiki: false } });
      expect(renamed.body).toMatchObject({ name: 'renamed', schedule: { intervalMinutes: 90 }, include: { wiki: false, git: true } });

      const manual = await caller.call<PlanRecord>('PATCH', `/internal/plans/${plan.id}`, { schedule: null });
      expect(manual.body).toMatchObject({ schedule: null, nextRunAt: null });
      expect(await scheduler(plan.id)).toBeUndefined();

      await caller.call('PATCH', `/internal/plans/${plan.id}`, { schedule: { hours: [1] } });
      expect(await scheduler(plan.id)).toBeDefined();
      expect((await caller.call('DELETE', `/internal/plans/${plan.id}`)).status).toBe(204);
      expect(await scheduler(plan.id)).toBeUndefined();
      expect((await caller.call('GET', `/internal/plans/${plan.id}`)).status).toBe(404);
      expect((await caller.call<Page<PlanRecord>>('GET', `/internal/plans?organizationId=${org.id}`)).body.items).toEqual([]);
    });

    it('pages plans with limit and cursor', async () => {
      const { tenantId, org } = newOrganization();
      const caller = gateway(tenantId);
      for (let i = 0; i < 5; i++) await caller.call('POST', '/internal/plans', { name: `p${i}`, organizationId: org.id });
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<PlanRecord> = (await caller.call<Page<PlanRecord>>('GET', `/internal/plans?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
        seen.push(...page.items.map((p) => p.name));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
      expect((await caller.call('GET', '/internal/plans?cursor=garbage')).status).toBe(400);
    });
  });

  describe('additional credentials', () => {
    it("accepts only the organization's own additional credentials (422 naming the id)", async () => {
      const { tenantId, org } = newOrganization();
      const other = stack.upstreams.addOrganization(tenantId);
      const mine = stack.upstreams.addCredential(org.id);
      const theirs = stack.upstreams.addCredential(other.id);
      const caller = gateway(tenantId);
      const refused = await caller.call<{ detail: string; errors: { field: string; message: string }[] }>('POST', '/internal/plans', {
        name: 'p', organizationId: org.id, advanced: { additionalCredentials: { enabled: true, credentialIds: [mine.id, theirs.id] } },
      });
      expect(refused.status).toBe(422);
      expect(refused.body.detail).toContain(theirs.id);
      expect(refused.body.errors).toEqual([{ field: 'advanced.additionalCredentials.credentialIds[1]', message: expect.stringContaining(theirs.id) }]);

      const main = await caller.call<{ detail: string }>('POST', '/internal/plans', {
        name: 'p', organizationId: org.id, advanced: { additionalCredentials: { enabled: true, credentialIds: [org.mainCredentialId] } },
      });
      expect(main.status).toBe(422);
      expect(main.body.detail).toContain('main credential');

      const plan = await caller.call<PlanRecord>('POST', '/internal/plans', {
        name: 'p', organizationId: org.id, advanced: { additionalCredentials: { enabled: true, credentialIds: [mine.id] } },
      });
      expect(plan.status).toBe(201);
      const patched = await caller.call('PATCH', `/internal/plans/${plan.body.id}`, { advanced: { additionalCredentials: { credentialIds: [theirs.id] } } });
      expect(patched.status).toBe(422);
      const policy = await stack.as('credential-service', tenantId).call<PlanCredentialPolicy>('GET', `/internal/plans/${plan.body.id}/credential-policy`);
      expect(policy.body).toEqual({ planId: plan.body.id, organizationId: org.id, additionalCredentials: { enabled: true, credentialIds: [mine.id] } });
      // only credential-service reads the policy
      expect((await caller.call('GET', `/internal/plans/${plan.body.id}/credential-policy`)).status).toBe(403);
    });

    it('warns when an enabled credential cannot read the metadata the plan includes', async () => {
      const { tenantId, org } = newOrganization();
      const gitOnly = stack.upstreams.addCredential(org.id, { capabilities: { git: true, metadata: false } });
      const caller = gateway(tenantId);
      const plan = await caller.call<PlanRecord>('POST', '/internal/plans', {
        name: 'p', organizationId: org.id, advanced: { additionalCredentials: { enabled: true, credentialIds: [gitOnly.id] } },
      });
      expect(plan.body.warnings).toHaveLength(1);
      expect(plan.body.warnings[0]).toContain(gitOnly.id);
      expect(plan.body.warnings[0]).toContain('metadata');
      expect((await caller.call<PlanRecord>('GET', `/internal/plans/${plan.body.id}`)).body.warnings).toEqual(plan.body.warnings);
      // the switch off: the credential is not used, nothing to warn about
      expect((await caller.call<PlanRecord>('PATCH', `/internal/plans/${plan.body.id}`, { advanced: { additionalCredentials: { enabled: false } } })).body.warnings).toEqual([]);
      // switched on again but without metadata: nothing to warn about either
      const noMetadata = { issues: false, pullRequests: false, comments: false, releases: false, labels: false, milestones: false };
      const gitOnlyPlan = await caller.call<PlanRecord>('PATCH', `/internal/plans/${plan.body.id}`, { include: noMetadata, advanced: { additionalCredentials: { enabled: true } } });
      expect(gitOnlyPlan.body.warnings).toEqual([]);
      expect(gitOnlyPlan.body.advanced.additionalCredentials).toEqual({ enabled: true, credentialIds: [gitOnly.id] });
    });

    it('enables a credential added later in no plan, and drops a removed one from every plan', async () => {
      const { tenantId, org } = newOrganization();
      const first = stack.upstreams.addCredential(org.id);
      const caller = gateway(tenantId);
      const a = (await caller.call<PlanRecord>('POST', '/internal/plans', { name: 'a', organizationId: org.id, advanced: { additionalCredentials: { enabled: true, credentialIds: [first.id] } } })).body;
      const b = (await caller.call<PlanRecord>('POST', '/internal/plans', { name: 'b', organizationId: org.id, advanced: { additionalCredentials: { enabled: false, credentialIds: [first.id] } } })).body;
      const c = (await caller.call<PlanRecord>('POST', '/internal/plans', { name: 'c', organizationId: org.id })).body;

      const later = stack.upstreams.addCredential(org.id);
      await stack.main.producer.publish({ type: 'credential.added', tenantId, organizationId: org.id, credentialId: later.id });
      const policies = async () => Promise.all([a, b, c].map(async (p) =>
        (await stack.as('credential-service', tenantId).call<PlanCredentialPolicy>('GET', `/internal/plans/${p.id}/credential-policy`)).body.additionalCredentials));
      for (const policy of await policies()) expect(policy.credentialIds).not.toContain(later.id);

      await caller.call('PATCH', `/internal/plans/${c.id}`, { advanced: { additionalCredentials: { enabled: true, credentialIds: [later.id, first.id] } } });
      await stack.main.producer.publish({ type: 'credential.removed', tenantId, organizationId: org.id, credentialId: first.id });
      await waitUntil(async () => (await policies()).every((p) => !p.credentialIds.includes(first.id)), { what: 'the removed credential to disappear' });
      expect(await policies()).toEqual([
        { enabled: true, credentialIds: [] },
        { enabled: false, credentialIds: [] },
        { enabled: true, credentialIds: [later.id] },
      ]);
    });
  });

  it('hides the plans of a deleted organization and stops their schedules', async () => {
    const { tenantId, org } = newOrganization();
    const caller = gateway(tenantId);
    const plan = (await caller.call<PlanRecord>('POST', '/internal/plans', { name: 'p', organizationId: org.id, schedule: { hours: [3] } })).body;
    expect(await scheduler(plan.id)).toBeDefined();
    await stack.main.producer.publish({ type: 'organization.deleted', tenantId, organizationId: org.id });
    await waitUntil(async () => (await caller.call('GET', `/internal/plans/${plan.id}`)).status === 404, { what: 'the plan to go' });
    expect(await scheduler(plan.id)).toBeUndefined();
    const dueJobs = await stack.main.producer.queue(QueueName.PlanSchedules).getJobs(['delayed', 'waiting']);
    expect(dueJobs.filter((j) => j.name === JobName.PlanScheduleDue && (j.data as { planId: string }).planId === plan.id)).toEqual([]);
  });

  it('takes the tenant from the header and the caller from its token', async () => {
    const { tenantId } = newOrganization();
    expect((await stack.as('backup-worker', tenantId).call('GET', '/internal/plans')).status).toBe(403);
    expect((await stack.as('api-gateway', 'not-a-uuid').call('GET', '/internal/plans')).status).toBe(400);
    const anonymous = await fetch(`${stack.main.url}/internal/plans`);
    expect(anonymous.status).toBe(401);
  });
});
