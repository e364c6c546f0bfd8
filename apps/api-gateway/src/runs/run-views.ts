import type { RunRecord, RunRepositoryRecord } from '@repovault/contracts/internal-api';
import type { RunRepositoryView, RunView } from './runs.dto';

export function toRunView(record: RunRecord): RunView {
  return {
    id: record.id,
    planId: record.planId,
    organizationId: record.organizationId,
    status: record.status,
    statusDetail: record.statusDetail,
    trigger: record.trigger,
    workerPool: record.workerPool,
    queuedAt: record.queuedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    repositories: record.repositories,
    apiCalls: { total: record.apiCalls.total, byCredential: record.apiCalls.byCredential },
    throttle: { waitMs: record.throttle.waitMs, refusals: record.throttle.refusals },
    errors: record.errors.map((e) => ({ repositoryId: e.repositoryId, message: e.message })),
  };
}

export function toRunRepositoryView(record: RunRepositoryRecord): RunRepositoryView {
  return {
    repositoryId: record.repositoryId,
    fullName: record.fullName,
    status: record.status,
    snapshotId: record.snapshotId,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    error: record.error,
  };
}
