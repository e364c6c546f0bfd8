import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { RepositoryRecord, RepositorySelection, RunRepositoryRecord, RunStatus, RunWork } from '@repovault/contracts/internal-api';
import { ProblemException, UpstreamProblemError, relayUpstreamError } from '@repovault/platform/http';
import { ManifestNotFoundError, type SnapshotManifest, type SnapshotStore } from '@repovault/platform/storage';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { SnapshotRetention } from '../snapshots/snapshot-retention';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { SNAPSHOT_STORE } from '../storage/snapshot-store.provider';
import { OrgServiceClient } from '../upstream/org-service.client';
import { FINISHED_REPOSITORY_STATUSES, countsFrom, finalStatus, toRunRepositoryRecord } from './run-record';
import type { RepositoryResultBody, SnapshotReportBody } from './run-progress.dto';
import { RunRepositoryEntity } from './run-repository.entity';
import { RunEntity } from './run.entity';

const INSERT_CHUNK = 1_000;

/** The plan's repository selection applied to the organization's active repositories. */
export function applySelection(selection: RepositorySelection, repositories: readonly RepositoryRecord[]): RepositoryRecord[] {
  if (selection.mode === 'selected') {
    const wanted = new Set(selection.ids);
    return repositories.filter((r) => wanted.has(r.id));
  }
  const excluded = new Set(selection.exclude);
  return repositories.filter((r) => !excluded.has(r.id));
}

/**
 * What the workers report: the run's repository list (fixed by the first call), each repository's
 * start and result, the snapshot catalogue entry, and the run's end. Every call is idempotent.
 */
@Injectable()
export class RunProgressService {
  private readonly logger = new Logger('RunProgress');

  constructor(
    @InjectRepository(RunEntity) private readonly runs: Repository<RunEntity>,
    @InjectRepository(RunRepositoryEntity) private readonly runRepositories: Repository<RunRepositoryEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SNAPSHOT_STORE) private readonly store: SnapshotStore,
    private readonly organizations: OrgServiceClient,
    private readonly retention: SnapshotRetention,
  ) {}

  /**
   * The first call for a queued run fixes its repositories (one pending row each) and marks it
   * running; concurrent and later calls see that same list. The organization is read outside the
   * transaction, and only the caller that still finds the run queued under the row lock writes.
   */
  async work(tenantId: string, runId: string): Promise<RunWork> {
    let run = await this.entity(tenantId, runId);
    if (run.status === 'queued') {
      const repositories = await this.activeRepositoriesFor(run);
      const selected = repositories ? applySelection(run.selection, repositories) : [];
      await this.dataSource.transaction(async (manager) => {
        const locked = await manager.getRepository(RunEntity).findOne({ where: { id: runId, tenantId }, lock: { mode: 'pessimistic_write' } });
        if (!locked || locked.status !== 'queued') return;
        const now = new Date();
        if (!repositories) {
          await manager.getRepository(RunEntity).update({ id: runId }, { status: 'failed', startedAt: now, finishedAt: now, error: 'the organization no longer exists' });
          return;
        }
        for (let i = 0; i < selected.length; i += INSERT_CHUNK) {
          const rows = selected.slice(i, i + INSERT_CHUNK).map((r) => ({
            runId, repositoryId: r.id, tenantId, fullName: r.fullName, status: 'pending' as const, snapshotId: null, startedAt: null, finishedAt: null, error: null,
          }));
          await manager.createQueryBuilder().insert().into(RunRepositoryEntity).values(rows).orIgnore().execute();
        }
        // a run with nothing to back up is done as soon as it starts
        const status: RunStatus = selected.length === 0 ? 'succeeded' : 'running';
        await manager.getRepository(RunEntity).update({ id: runId }, { status, startedAt: now, finishedAt: selected.length === 0 ? now : null });
      });
      run = await this.entity(tenantId, runId);
    }
    const rows = await this.runRepositories.find({ select: { repositoryId: true }, where: { runId }, order: { fullName: 'ASC', repositoryId: 'ASC' } });
    return {
      runId: run.id,
      planId: run.planId,
      organizationId: run.organizationId,
      status: run.status,
      include: run.include,
      workerPool: run.workerPool,
      repositoryIds: rows.map((r) => r.repositoryId),
    };
  }

  /** pending → running (idempotent); a repository skipped by a cancel stays skipped, which tells the worker to stop. */
  async started(tenantId: string, runId: string, repositoryId: string): Promise<RunRepositoryRecord> {
    await this.runRepositories.update({ runId, repositoryId, tenantId, status: 'pending' }, { status: 'running', startedAt: new Date() });
    return toRunRepositoryRecord(await this.row(this.runRepositories, tenantId, runId, repositoryId));
  }

  /**
   * Records a repository's result (and its snapshot when it succeeded) once; a repeated report
   * changes nothing. The report that leaves no repository pending or running finishes the run,
   * and retention then runs for the run's repositories.
   */
  async result(tenantId: string, runId: string, repositoryId: string, report: RepositoryResultBody): Promise<RunRepositoryRecord> {
    if (report.status === 'succeeded' && !report.snapshot) {
      throw ProblemException.unprocessable('snapshot-required', 'A succeeded repository must report its snapshot.', { errors: [{ field: 'snapshot', message: 'required when status is succeeded' }] });
    }
    const outcome = await this.dataSource.transaction(async (manager) => {
      const run = await manager.getRepository(RunEntity).findOne({ where: { id: runId, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!run) throw ProblemException.notFound('Run');
      const rows = manager.getRepository(RunRepositoryEntity);
      const row = await this.row(rows, tenantId, runId, repositoryId);
      // a finished row is final, except that a snapshot finished after a cancel is still catalogued
      const lateSuccess = row.status === 'skipped' && run.status === 'cancelled' && report.status === 'succeeded';
      if (FINISHED_REPOSITORY_STATUSES.includes(row.status) && !lateSuccess) return { row, completed: false, run };
      const now = new Date();
      let snapshotId: string | null = null;
      if (report.status === 'succeeded' && report.snapshot) snapshotId = await this.catalogue(manager, run, repositoryId, report.snapshot);
      await rows.update({ runId, repositoryId }, {
        status: report.status,
        snapshotId,
        startedAt: row.startedAt ?? now,
        finishedAt: now,
        error: report.status === 'failed' ? (report.error?.trim() || 'the backup failed without a message') : (report.error ?? null),
      });
      const counts = countsFrom(await rows.createQueryBuilder('rr').select('rr.status', 'status').addSelect('COUNT(*)::int', 'count')
        .where({ runId }).groupBy('rr.status').getRawMany());
      const completed = counts.pending === 0;
      if (completed && (run.status === 'running' || run.status === 'queued')) {
        await manager.getRepository(RunEntity).update({ id: runId }, { status: finalStatus(counts), finishedAt: now });
      }
      return { row: await this.row(rows, tenantId, runId, repositoryId), completed, run };
    });
    if (outcome.completed) {
      const repositoryIds = (await this.runRepositories.find({ select: { repositoryId: true }, where: { runId } })).map((r) => r.repositoryId);
      this.retention.afterRun({ runId, tenantId, planId: outcome.run.planId, repositoryIds });
    }
    return toRunRepositoryRecord(outcome.row);
  }

  private async entity(tenantId: string, runId: string): Promise<RunEntity> {
    const run = await this.runs.findOneBy({ id: runId, tenantId });
    if (!run) throw ProblemException.notFound('Run');
    return run;
  }

  private async row(rows: Repository<RunRepositoryEntity>, tenantId: string, runId: string, repositoryId: string): Promise<RunRepositoryEntity> {
    const row = await rows.findOneBy({ runId, repositoryId, tenantId });
    if (!row) throw ProblemException.notFound('Repository of this run');
    return row;
  }

  /** Active repositories from org-service; null when the organization is gone (the run then fails). */
  private async activeRepositoriesFor(run: RunEntity): Promise<RepositoryRecord[] | null> {
    try {
      return await this.organizations.activeRepositories(run.tenantId, run.organizationId);
    } catch (error) {
      if (error instanceof UpstreamProblemError && error.problem.status === 404) return null;
      return relayUpstreamError(error);
    }
  }

  /**
   * The catalogue entry comes from the manifest the worker published, after checking that it is the
   * snapshot of this run and repository; the report adds only what the manifest does not hold.
   */
  private async catalogue(manager: EntityManager, run: RunEntity, repositoryId: string, snapshot: SnapshotReportBody): Promise<string> {
    const mismatch = (field: string, message: string) =>
      ProblemException.unprocessable('snapshot-mismatch', `The snapshot does not belong to this run and repository: ${message}.`, { errors: [{ field: `snapshot.${field}`, message }] });
    if (snapshot.repositoryId !== repositoryId) throw mismatch('repositoryId', 'must be the repository in the path');
    if (snapshot.runId !== run.id) throw mismatch('runId', 'must be the run in the path');
    if (snapshot.planId !== run.planId) throw mismatch('planId', "must be the run's plan");
    if (snapshot.organizationId !== run.organizationId) throw mismatch('organizationId', "must be the run's organization");
    const existing = await manager.getRepository(SnapshotEntity).findOneBy({ runId: run.id, repositoryId });
    if (existing) return existing.id;
    let manifest: SnapshotManifest;
    try {
      manifest = await this.store.readManifest(repositoryId, snapshot.id);
    } catch (error) {
      if (error instanceof ManifestNotFoundError) {
        throw ProblemException.unprocessable('snapshot-not-published', `Snapshot ${snapshot.id} has no manifest in the store; publish it before reporting the result.`);
      }
      throw error;
    }
    if (manifest.tenantId !== run.tenantId || manifest.runId !== run.id || manifest.organizationId !== run.organizationId || manifest.repositoryId !== repositoryId) {
      throw mismatch('id', 'the published manifest names another tenant, organization, run or repository');
    }
    await manager.createQueryBuilder().insert().into(SnapshotEntity).values({
      id: manifest.snapshotId,
      tenantId: run.tenantId,
      organizationId: run.organizationId,
      repositoryId,
      planId: run.planId,
      runId: run.id,
      repositoryFullName: manifest.repositoryFullName,
      createdAt: new Date(manifest.createdAt),
      refs: manifest.refs,
      wikiRefs: manifest.wikiRefs,
      metadata: manifest.metadata,
      lfsObjects: manifest.lfsObjects,
      sizeBytes: manifest.sizeBytes,
      newBytes: snapshot.newBytes,
      files: manifest.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, kind: f.kind })),
    }).orIgnore().execute();
    this.logger.debug({ runId: run.id, repositoryId, snapshotId: manifest.snapshotId }, 'snapshot catalogued');
    return manifest.snapshotId;
  }
}
