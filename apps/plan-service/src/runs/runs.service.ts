import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { RepositoryRunStatus, RunRecord, RunRepositoryRecord } from '@repovault/contracts/internal-api';
import { JobName, workQueueName } from '@repovault/contracts/jobs';
import { type Page, ProblemException, decodeCursor, relayUpstreamError, toPage } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import { randomUUID } from 'node:crypto';
import { DataSource, In, type Repository } from 'typeorm';
import type { PlanEntity } from '../plans/plan.entity';
import { PlansService, insertUnlessConflicting } from '../plans/plans.service';
import { CredentialServiceClient } from '../upstream/credential-service.client';
import { OrgServiceClient } from '../upstream/org-service.client';
import { type RepositoryCounts, type RunDetails, countsFrom, toRunRecord, toRunRepositoryRecord } from './run-record';
import { RunRepositoryEntity } from './run-repository.entity';
import { RunEntity } from './run.entity';

const ERRORS_PER_RUN = 20;

/** Runs as users see them: started now or by the schedule, listed, read and cancelled. */
@Injectable()
export class RunsService {
  private readonly logger = new Logger('Runs');

  constructor(
    @InjectRepository(RunEntity) private readonly runs: Repository<RunEntity>,
    @InjectRepository(RunRepositoryEntity) private readonly runRepositories: Repository<RunRepositoryEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly plans: PlansService,
    private readonly organizations: OrgServiceClient,
    private readonly credentials: CredentialServiceClient,
    private readonly producer: JobProducer,
  ) {}

  /**
   * "Run now". With an Idempotency-Key the first run is the answer to every retry, even concurrent
   * ones: the key is unique per tenant, so the loser of the insert race reads the winner's run.
   */
  async startManual(tenantId: string, planId: string, idempotencyKey?: string): Promise<RunRecord> {
    const plan = await this.plans.entity(tenantId, planId);
    if (idempotencyKey) {
      const existing = await this.runs.findOneBy({ tenantId, idempotencyKey });
      if (existing) return this.replay(existing, planId);
    }
    const organization = await this.organizations.organization(tenantId, plan.organizationId).catch(relayUpstreamError);
    const run = this.newRun(plan, 'manual', plan.workerPool ?? organization.defaultWorkerPool, { idempotencyKey: idempotencyKey ?? null });
    if (!(await insertUnlessConflicting(this.runs, RunEntity, run))) {
      // a concurrent request with the same key inserted first: its run is the answer
      return this.replay(await this.runs.findOneByOrFail({ tenantId, idempotencyKey: idempotencyKey ?? '' }), planId);
    }
    try {
      await this.enqueueStart(run);
    } catch (error) {
      // nothing was started: a retry (with or without the key) starts afresh
      await this.runs.delete({ id: run.id });
      this.logger.warn({ runId: run.id, err: error }, 'run could not be queued');
      throw ProblemException.unavailable('queue-unavailable', 'The run could not be queued; try again shortly.');
    }
    return this.record(run);
  }

  /**
   * A plan's schedule is due: one run per due time, keyed by the scheduler's job id, however many
   * replicas (or retries) handle the due job. Returns the run, or null when the plan no longer runs.
   */
  async startScheduled(tenantId: string, planId: string, scheduleKey: string): Promise<RunEntity | null> {
    const plan = await this.plans.entity(tenantId, planId).catch((error: unknown) => {
      if (error instanceof ProblemException && error.problem.status === 404) return null;
      throw error;
    });
    if (!plan || plan.schedule === null) return null;
    let run = await this.runs.findOneBy({ planId, scheduleKey });
    if (!run) {
      const organization = await this.organizations.organization(tenantId, plan.organizationId);
      const candidate = this.newRun(plan, 'schedule', plan.workerPool ?? organization.defaultWorkerPool, { scheduleKey });
      run = (await insertUnlessConflicting(this.runs, RunEntity, candidate)) ? candidate : await this.runs.findOneByOrFail({ planId, scheduleKey });
    }
    // enqueueing is idempotent (job id from the run), so a retried due job can always do it again
    if (run.status === 'queued') await this.enqueueStart(run);
    return run;
  }

  async list(tenantId: string, limit: number, cursor?: string, planId?: string): Promise<Page<RunRecord>> {
    const after = decodeCursor<{ t: string; id: string }>(cursor, ['t', 'id']);
    const query = this.runs.createQueryBuilder('r').where('r.tenant_id = :tenantId', { tenantId })
      .orderBy('r.queued_at', 'DESC').addOrderBy('r.id', 'DESC').limit(limit + 1);
    if (planId) query.andWhere('r.plan_id = :planId', { planId });
    if (after) query.andWhere('(r.queued_at, r.id) < (:t, :id)', { t: after.t, id: after.id });
    const rows = await query.getMany();
    const details = await this.details(rows.slice(0, limit));
    return toPage(rows, limit, (r) => toRunRecord(r, details.get(r.id) as RunDetails), (r) => ({ t: r.queuedAt.toISOString(), id: r.id }));
  }

  async get(tenantId: string, id: string): Promise<RunRecord> {
    return this.record(await this.entity(tenantId, id));
  }

  async repositories(tenantId: string, runId: string, limit: number, cursor?: string): Promise<Page<RunRepositoryRecord>> {
    await this.entity(tenantId, runId);
    const after = decodeCursor<{ n: string; id: string }>(cursor, ['n', 'id']);
    const query = this.runRepositories.createQueryBuilder('rr').where('rr.run_id = :runId AND rr.tenant_id = :tenantId', { runId, tenantId })
      .orderBy('rr.full_name', 'ASC').addOrderBy('rr.repository_id', 'ASC').limit(limit + 1);
    if (after) query.andWhere('(rr.full_name, rr.repository_id) > (:n, :id)', { n: after.n, id: after.id });
    return toPage(await query.getMany(), limit, toRunRepositoryRecord, (r) => ({ n: r.fullName, id: r.repositoryId }));
  }

  /** queued/running → cancelled; repositories not started are skipped; those running may still report. */
  async cancel(tenantId: string, id: string): Promise<RunRecord> {
    const run = await this.dataSource.transaction(async (manager) => {
      const locked = await manager.getRepository(RunEntity).findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!locked) throw ProblemException.notFound('Run');
      if (locked.status !== 'queued' && locked.status !== 'running') {
        throw ProblemException.conflict('run-finished', `The run has already finished (${locked.status}); only queued or running runs can be cancelled.`);
      }
      const now = new Date();
      await manager.getRepository(RunRepositoryEntity).update({ runId: id, status: 'pending' }, { status: 'skipped', finishedAt: now, error: 'cancelled before it started' });
      await manager.getRepository(RunEntity).update({ id }, { status: 'cancelled', finishedAt: now });
      return { ...locked, status: 'cancelled' as const, finishedAt: now };
    });
    // a run job nobody has picked up yet is simply dropped; one already running sees the cancelled status
    await this.producer.queue(workQueueName(run.workerPool)).remove(startJobId(run.id)).catch(() => undefined);
    return this.record(run);
  }

  async entity(tenantId: string, id: string): Promise<RunEntity> {
    const run = await this.runs.findOneBy({ id, tenantId });
    if (!run) throw ProblemException.notFound('Run');
    return run;
  }

  async record(run: RunEntity): Promise<RunRecord> {
    const details = await this.details([run]);
    return toRunRecord(run, details.get(run.id) as RunDetails);
  }

  private async replay(existing: RunEntity, planId: string): Promise<RunRecord> {
    if (existing.planId !== planId) {
      throw ProblemException.unprocessable('idempotency-key-reused', 'This Idempotency-Key already started a run of another plan; use a new key for each run you start.');
    }
    if (existing.status === 'queued') {
      await this.enqueueStart(existing).catch(() => {
        throw ProblemException.unavailable('queue-unavailable', 'The run could not be queued; try again shortly.');
      });
    }
    return this.record(existing);
  }

  private newRun(plan: PlanEntity, trigger: RunEntity['trigger'], workerPool: string, keys: { idempotencyKey?: string | null; scheduleKey?: string | null }): RunEntity {
    return this.runs.create({
      id: randomUUID(),
      tenantId: plan.tenantId,
      planId: plan.id,
      organizationId: plan.organizationId,
      status: 'queued',
      trigger,
      workerPool,
      include: plan.include,
      selection: plan.repositories,
      queuedAt: new Date(),
      startedAt: null,
      finishedAt: null,
      error: null,
      idempotencyKey: keys.idempotencyKey ?? null,
      scheduleKey: keys.scheduleKey ?? null,
    });
  }

  private async enqueueStart(run: RunEntity): Promise<void> {
    await this.producer.enqueue({ name: JobName.RunStart, data: { tenantId: run.tenantId, runId: run.id } }, { pool: run.workerPool, jobId: startJobId(run.id) });
  }

  /** Counts, recent errors, API usage (credential-service; zeros when unknown) and why a queued run waits. */
  private async details(runs: RunEntity[]): Promise<Map<string, RunDetails>> {
    const ids = runs.map((r) => r.id);
    const out = new Map<string, RunDetails>();
    if (ids.length === 0) return out;
    const [countRows, errorRows, usages, idlePools] = await Promise.all([
      this.runRepositories.createQueryBuilder('rr').select('rr.run_id', 'runId').addSelect('rr.status', 'status').addSelect('COUNT(*)::int', 'count')
        .where({ runId: In(ids) }).groupBy('rr.run_id').addGroupBy('rr.status')
        .getRawMany<{ runId: string; status: RepositoryRunStatus; count: number }>(),
      this.dataSource.query<{ run_id: string; repository_id: string; error: string }[]>(
        `SELECT run_id, repository_id, error FROM (
           SELECT run_id, repository_id, error, row_number() OVER (PARTITION BY run_id ORDER BY finished_at, full_name) AS n
           FROM plan.run_repositories WHERE run_id = ANY($1::uuid[]) AND status = 'failed') failed
         WHERE n <= $2`,
        [ids, ERRORS_PER_RUN],
      ),
      Promise.all(runs.map((r) => this.credentials.usage(r.tenantId, r.id))),
      this.poolsWithoutWorkers(runs.filter((r) => r.status === 'queued').map((r) => r.workerPool)),
    ]);
    runs.forEach((run, index) => {
      const counts: RepositoryCounts = countsFrom(countRows.filter((c) => c.runId === run.id));
      out.set(run.id, {
        counts,
        errors: errorRows.filter((e) => e.run_id === run.id).map((e) => ({ repositoryId: e.repository_id, message: e.error ?? 'failed' })),
        usage: usages[index] ?? { total: 0, byCredential: {}, waitMs: 0, refusals: 0 },
        statusDetail: run.status === 'queued' && idlePools.has(run.workerPool) ? `no worker of the "${run.workerPool}" pool is running; the run starts when one is` : null,
      });
    });
    return out;
  }

  private async poolsWithoutWorkers(pools: string[]): Promise<Set<string>> {
    const idle = new Set<string>();
    await Promise.all(
      [...new Set(pools)].map(async (pool) => {
        try {
          if ((await this.producer.queue(workQueueName(pool)).getWorkersCount()) === 0) idle.add(pool);
        } catch {
          // unknown: say nothing rather than something wrong
        }
      }),
    );
    return idle;
  }
}

export function startJobId(runId: string): string {
  return `run-${runId}`;
}
