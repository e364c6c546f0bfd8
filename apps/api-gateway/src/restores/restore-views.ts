import type { RestoreRecord } from '@repovault/contracts/internal-api';
import type { RestoreView } from './restores.dto';

export function toRestoreView(record: RestoreRecord): RestoreView {
  return {
    id: record.id,
    snapshotId: record.snapshotId,
    source: { organizationId: record.source.organizationId, repositoryId: record.source.repositoryId, fullName: record.source.fullName },
    target: {
      organizationId: record.target.organizationId,
      repositoryName: record.target.repositoryName,
      mode: record.target.mode,
      fullName: record.target.fullName,
      url: record.target.url,
    },
    include: { ...record.include },
    status: record.status,
    statusDetail: record.statusDetail,
    workerPool: record.workerPool,
    queuedAt: record.queuedAt,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt,
    items: Object.fromEntries(Object.entries(record.items).map(([kind, c]) => [kind, { source: c.source, restored: c.restored, notRestored: c.notRestored, failed: c.failed }])),
    notRestored: record.notRestored.map((n) => ({ kind: n.kind, reason: n.reason, count: n.count, examples: [...n.examples] })),
    errors: record.errors.map((e) => ({ kind: e.kind, item: e.item, message: e.message })),
  };
}
