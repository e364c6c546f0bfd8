import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  IncludeSettings, OrganizationRecord, RestoreItemCountsRecord, RestoreRecord, RestoreWork,
} from '@repovault/contracts/internal-api';
import { JobName } from '@repovault/contracts/jobs';
import { type Page, ProblemException, decodeCursor, relayUpstreamError, toPage } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import { randomUUID } from 'node:crypto';
import type { Repository } from 'typeorm';
import { insertUnlessConflicting } from '../plans/plans.service';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { OrgServiceClient } from '../upstream/org-service.client';
import { FINISHED_RESTORE_STATUSES, toRestoreRecord, toRestoreWork } from './restore-record';
import { RestoreEntity } from './restore.entity';
import type { CreateRestoreBody, RestoreProgressBody } from './restores.dto';

const RESTORE_ATTEMPTS = 3;
/** a name a repository can have on every provider (path-safe, no spaces) */
const REPOSITORY_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/;
const INCLUDE_KEYS: readonly (keyof IncludeSettings)[] = ['git', 'lfs', 'wiki', 'issues', 'comments', 'pullRequests', 'labels', 'milestones', 'releases'];

export function restoreJobId(restoreId: string): string {
  return `restore-${restoreId}`;
}

/**
 * Restores (issue #9): requested by the API, run by a worker of the target organization's pool,
 * which reports progress here. plan-service owns them next to the snapshots they restore.
 */
@Injectable()
export class RestoresService {
  private readonly logger = new Logger('Restores');

  constructor(
    @InjectRepository(RestoreEntity) private readonly restores: Repository<RestoreEntity>,
    @InjectRepository(SnapshotEntity) private readonly snapshots: Repository<SnapshotEntity>,
    private readonly organizations: OrgServiceClient,
    private readonly producer: JobProducer,
  ) {}

  /**
   * Checks the request against the snapshot and the target organization, stores the restore and
   * queues its job. With an Idempotency-Key a retried request answers the first restore.
   */
  async create(tenantId: string, body: CreateRestoreBody, idempotencyKey?: string): Promise<RestoreRecord> {
    if (idempotencyKey) {
      const existing = await this.restores.findOneBy({ tenantId, idempotencyKey });
      if (existing) return toRestoreRecord(existing);
    }
    const snapshot = await this.snapshots.findOneBy({ tenantId, id: body.snapshotId });
    if (!snapshot) throw ProblemException.notFound('Snapshot');
    const [target, source] = await Promise.all([
      this.organizations.organization(tenantId, body.target.organizationId).catch(relayUpstreamError),
      this.organizations.organization(tenantId, snapshot.organizationId).catch(relayUpstreamError),
    ]);
    const include = includeOf(body.include);
    this.check(body, snapshot, source, target, include);

    const restore: RestoreEntity = {
      id: randomUUID(),
      tenantId,
      snapshotId: snapshot.id,
      sourceOrganizationId: snapshot.organizationId,
      sourceRepositoryId: snapshot.repositoryId,
      sourceFullName: snapshot.repositoryFullName,
      targetOrganizationId: target.id,
      targetRepositoryName: body.target.repositoryName,
      mode: body.target.mode,
      deleteExtraRefs: body.target.mode === 'overwrite',
      include,
      status: 'queued',
      statusDetail: null,
      workerPool: target.defaultWorkerPool,
      targetFullName: null,
      targetUrl: null,
      items: {},
      notRestored: [],
      errors: [],
      idempotencyKey: idempotencyKey ?? null,
      queuedAt: new Date(),
      startedAt: null,
      finishedAt: null,
    };
    if (!(await insertUnlessConflicting(this.restores, RestoreEntity, restore))) {
      // a concurrent request with the same key inserted first: its restore is the answer
      return toRestoreRecord(await this.restores.findOneByOrFail({ tenantId, idempotencyKey: idempotencyKey ?? '' }));
    }
    try {
      await this.producer.enqueue(
        { name: JobName.RestoreRun, data: { tenantId, restoreId: restore.id } },
        { pool: restore.workerPool, jobId: restoreJobId(restore.id), attempts: RESTORE_ATTEMPTS, backoff: { type: 'exponential', delay: 5_000 } },
      );
    } catch (error) {
      await this.restores.delete({ id: restore.id });
      this.logger.warn({ restoreId: restore.id, err: error }, 'restore could not be queued');
      throw ProblemException.unavailable('queue-unavailable', 'The restore could not be queued; try again shortly.');
    }
    return toRestoreRecord(restore);
  }

  private check(body: CreateRestoreBody, snapshot: SnapshotEntity, source: OrganizationRecord, target: OrganizationRecord, include: IncludeSettings): void {
    if (target.status !== 'active') {
      throw ProblemException.unprocessable('target-organization-deleted', `The target organization ${target.name} was deleted; restore into an active organization.`);
    }
    if (target.provider !== source.provider) {
      throw ProblemException.unprocessable('provider-mismatch', `The snapshot is of a ${source.provider} repository; restore it into a ${source.provider} organization (${target.name} is ${target.provider}).`, {
        errors: [{ field: 'target.organizationId', message: `must be a ${source.provider} organization` }],
      });
    }
    if (!INCLUDE_KEYS.some((key) => include[key])) {
      throw ProblemException.unprocessable('nothing-to-restore', 'Every include switch is off: turn on at least one of git, lfs, wiki, issues, comments, pullRequests, labels, milestones, releases.', {
        errors: [{ field: 'include', message: 'turn on at least one kind' }],
      });
    }
    if (body.target.mode === 'new-repository') {
      if (!REPOSITORY_NAME.test(body.target.repositoryName)) {
        throw ProblemException.unprocessable('invalid-repository-name', 'The repository name may hold letters, digits, ".", "-" and "_" (up to 100, not starting with "." or "-").', {
          errors: [{ field: 'target.repositoryName', message: 'use letters, digits, ".", "-" and "_"' }],
        });
      }
      return;
    }
    // overwrite: only the repository the snapshot was taken of, and only when its name is typed out
    const name = snapshot.repositoryFullName.slice(snapshot.repositoryFullName.lastIndexOf('/') + 1);
    if (body.target.organizationId !== snapshot.organizationId || body.target.repositoryName !== name) {
      throw ProblemException.unprocessable('overwrite-other-repository', `"overwrite" restores into the repository the snapshot was taken of, ${snapshot.repositoryFullName}: use organizationId ${snapshot.organizationId} and repositoryName "${name}", or mode "new-repository".`, {
        errors: [{ field: 'target', message: `must name ${snapshot.repositoryFullName}` }],
      });
    }
    if (body.confirm !== snapshot.repositoryFullName) {
      const detail = body.confirm === undefined
        ? `"overwrite" replaces ${snapshot.repositoryFullName} upstream (refs the snapshot lacks are deleted): confirm by sending "confirm": "${snapshot.repositoryFullName}".`
        : `The confirmation "${body.confirm}" does not match the repository being overwritten: send "confirm": "${snapshot.repositoryFullName}".`;
      throw ProblemException.unprocessable('overwrite-not-confirmed', detail, { errors: [{ field: 'confirm', message: `must be "${snapshot.repositoryFullName}"` }] });
    }
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<RestoreRecord>> {
    const after = decodeCursor<{ t: string; id: string }>(cursor, ['t', 'id']);
    const query = this.restores.createQueryBuilder('r').where('r.tenant_id = :tenantId', { tenantId })
      .orderBy('r.queued_at', 'DESC').addOrderBy('r.id', 'DESC').limit(limit + 1);
    if (after) query.andWhere('(r.queued_at, r.id) < (:t, :id)', { t: after.t, id: after.id });
    return toPage(await query.getMany(), limit, toRestoreRecord, (r) => ({ t: r.queuedAt.toISOString(), id: r.id }));
  }

  async get(tenantId: string, id: string): Promise<RestoreRecord> {
    return toRestoreRecord(await this.entity(tenantId, id));
  }

  /** The worker's view; the first call marks the restore running. */
  async work(tenantId: string, id: string): Promise<RestoreWork> {
    const restore = await this.entity(tenantId, id);
    if (restore.status === 'queued') {
      const startedAt = new Date();
      await this.restores.update({ id, status: 'queued' }, { status: 'running', startedAt });
      return toRestoreWork({ ...restore, status: 'running', startedAt });
    }
    return toRestoreWork(restore);
  }

  /** A worker's report; once a restore has finished, late reports change nothing. */
  async progress(tenantId: string, id: string, body: RestoreProgressBody): Promise<RestoreRecord> {
    const restore = await this.entity(tenantId, id);
    if (FINISHED_RESTORE_STATUSES.includes(restore.status)) return toRestoreRecord(restore);
    const finished = body.status !== 'running';
    const changes: Partial<RestoreEntity> = {
      status: body.status,
      statusDetail: finished ? null : (body.statusDetail ?? null),
      items: countsOf(body.items),
      notRestored: body.notRestored.map((n) => ({ kind: n.kind, reason: n.reason, count: n.count, examples: n.examples.slice(0, 5) })),
      errors: body.errors.map((e) => ({ kind: e.kind ?? null, item: e.item ?? null, message: e.message })),
      startedAt: restore.startedAt ?? new Date(),
      ...(finished ? { finishedAt: new Date() } : {}),
      ...(body.target ? { targetFullName: body.target.fullName, targetUrl: body.target.url } : {}),
    };
    await this.restores.update({ id }, changes);
    return toRestoreRecord({ ...restore, ...changes });
  }

  private async entity(tenantId: string, id: string): Promise<RestoreEntity> {
    const restore = await this.restores.findOneBy({ id, tenantId });
    if (!restore) throw ProblemException.notFound('Restore');
    return restore;
  }
}

function includeOf(include: CreateRestoreBody['include']): IncludeSettings {
  const out = {} as IncludeSettings;
  for (const key of INCLUDE_KEYS) out[key] = include?.[key] ?? true;
  return out;
}

function countsOf(items: Record<string, unknown>): Record<string, RestoreItemCountsRecord> {
  const out: Record<string, RestoreItemCountsRecord> = {};
  const entries = Object.entries(items ?? {});
  if (entries.length > 40) throw ProblemException.badRequest('items may name at most 40 kinds');
  for (const [kind, value] of entries) {
    const v = (value ?? {}) as Record<string, unknown>;
    const n = (field: string): number => {
      const x = v[field];
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) throw ProblemException.badRequest(`items.${kind}.${field} must be a whole number >= 0`);
      return x;
    };
    if (!/^[a-z-]{1,64}$/.test(kind)) throw ProblemException.badRequest(`items: "${kind}" is not an item kind`);
    out[kind] = { source: n('source'), restored: n('restored'), notRestored: n('notRestored'), failed: n('failed') };
  }
  return out;
}
