import type { SnapshotRecord } from '@repovault/contracts/internal-api';
import type { SnapshotView } from './snapshots.dto';

/** Metadata kinds as the manifest names them (and as /metadata/{kind} takes them) → field names of the public view. */
export function metadataFieldOf(kind: string): string {
  return kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The public shape: no tenant id; metadata counts keyed like the rest of the API (pullRequests, …). */
export function toSnapshotView(record: SnapshotRecord): SnapshotView {
  return {
    id: record.id,
    repositoryId: record.repositoryId,
    repositoryFullName: record.repositoryFullName,
    organizationId: record.organizationId,
    planId: record.planId,
    runId: record.runId,
    createdAt: record.createdAt,
    refs: record.refs,
    wikiRefs: record.wikiRefs,
    metadata: Object.fromEntries(Object.entries(record.metadata).map(([kind, count]) => [metadataFieldOf(kind), count])),
    lfsObjects: record.lfsObjects,
    sizeBytes: record.sizeBytes,
    newBytes: record.newBytes,
    files: record.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, kind: f.kind })),
  };
}
