import type { SnapshotRecord } from '@repovault/contracts/internal-api';
import type { SnapshotEntity } from './snapshot.entity';

export function toSnapshotRecord(entity: SnapshotEntity): SnapshotRecord {
  return {
    id: entity.id,
    repositoryId: entity.repositoryId,
    organizationId: entity.organizationId,
    planId: entity.planId,
    runId: entity.runId,
    repositoryFullName: entity.repositoryFullName,
    createdAt: entity.createdAt.toISOString(),
    refs: entity.refs,
    wikiRefs: entity.wikiRefs,
    metadata: entity.metadata,
    lfsObjects: entity.lfsObjects,
    sizeBytes: entity.sizeBytes,
    newBytes: entity.newBytes,
    files: entity.files,
  };
}
