import type { CredentialUsage, RepositoryRunStatus, RunRecord, RunRepositoryRecord, RunStatus } from '@repovault/contracts/internal-api';
import type { RunRepositoryEntity } from './run-repository.entity';
import type { RunEntity } from './run.entity';

export type RepositoryCounts = RunRecord['repositories'];
export const NO_COUNTS: RepositoryCounts = { total: 0, succeeded: 0, failed: 0, skipped: 0, pending: 0 };

export const FINISHED_RUN_STATUSES: readonly RunStatus[] = ['succeeded', 'partially-failed', 'failed', 'cancelled'];
export const FINISHED_REPOSITORY_STATUSES: readonly RepositoryRunStatus[] = ['succeeded', 'failed', 'skipped'];

/** Per-status row counts of a run; `pending` counts the repositories not finished yet (pending or running). */
export function countsFrom(rows: readonly { status: RepositoryRunStatus; count: number }[]): RepositoryCounts {
  const counts = { ...NO_COUNTS };
  for (const { status, count } of rows) {
    counts.total += count;
    if (status === 'succeeded' || status === 'failed' || status === 'skipped') counts[status] += count;
    else counts.pending += count;
  }
  return counts;
}

/** The status of a run none of whose repositories is pending or running any more. */
export function finalStatus(counts: RepositoryCounts): RunStatus {
  if (counts.failed > 0 && counts.failed === counts.total) return 'failed';
  if (counts.failed > 0) return 'partially-failed';
  return 'succeeded';
}

export interface RunDetails {
  counts: RepositoryCounts;
  errors: RunRecord['errors'];
  usage: CredentialUsage;
  statusDetail: string | null;
}

export function toRunRecord(run: RunEntity, details: RunDetails): RunRecord {
  return {
    id: run.id,
    planId: run.planId,
    organizationId: run.organizationId,
    status: run.status,
    statusDetail: details.statusDetail,
    trigger: run.trigger,
    workerPool: run.workerPool,
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    repositories: details.counts,
    apiCalls: { total: details.usage.total, byCredential: details.usage.byCredential },
    throttle: { waitMs: details.usage.waitMs, refusals: details.usage.refusals },
    errors: [...(run.error ? [{ repositoryId: null, message: run.error }] : []), ...details.errors],
  };
}

export function toRunRepositoryRecord(row: RunRepositoryEntity): RunRepositoryRecord {
  return {
    repositoryId: row.repositoryId,
    fullName: row.fullName,
    status: row.status,
    snapshotId: row.snapshotId,
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
    error: row.error,
  };
}
