import type { RestoreRecord, RestoreStatus, RestoreWork } from '@repovault/contracts/internal-api';
import type { RestoreEntity } from './restore.entity';

export const FINISHED_RESTORE_STATUSES: readonly RestoreStatus[] = ['succeeded', 'partially-failed', 'failed'];

export function toRestoreRecord(restore: RestoreEntity): RestoreRecord {
  return {
    id: restore.id,
    snapshotId: restore.snapshotId,
    source: { organizationId: restore.sourceOrganizationId, repositoryId: restore.sourceRepositoryId, fullName: restore.sourceFullName },
    target: {
      organizationId: restore.targetOrganizationId,
      repositoryName: restore.targetRepositoryName,
      mode: restore.mode,
      fullName: restore.targetFullName,
      url: restore.targetUrl,
    },
    include: restore.include,
    status: restore.status,
    statusDetail: restore.statusDetail,
    workerPool: restore.workerPool,
    queuedAt: restore.queuedAt.toISOString(),
    startedAt: restore.startedAt?.toISOString() ?? null,
    finishedAt: restore.finishedAt?.toISOString() ?? null,
    items: restore.items,
    notRestored: restore.notRestored,
    errors: restore.errors,
  };
}

export function toRestoreWork(restore: RestoreEntity): RestoreWork {
  return {
    restoreId: restore.id,
    status: restore.status,
    snapshotId: restore.snapshotId,
    sourceRepositoryId: restore.sourceRepositoryId,
    sourceOrganizationId: restore.sourceOrganizationId,
    sourceFullName: restore.sourceFullName,
    targetOrganizationId: restore.targetOrganizationId,
    repositoryName: restore.targetRepositoryName,
    mode: restore.mode,
    include: restore.include,
    workerPool: restore.workerPool,
    deleteExtraRefs: restore.deleteExtraRefs,
  };
}
