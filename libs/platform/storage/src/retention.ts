import type { SnapshotSummary } from './snapshot-manifest';

/**
 * keepLast retention: the ids to delete from a repository's snapshots, given newest first. The
 * newest snapshot is always kept, even with keepLast 0, so a repository never loses its last backup
 * to retention. The input is re-sorted defensively: deleting the wrong end of the list is not
 * recoverable.
 */
export function snapshotsToPrune(snapshots: SnapshotSummary[], keepLast: number): string[] {
  if (!Number.isInteger(keepLast) || keepLast < 0) throw new RangeError(`keepLast must be a non-negative integer, got ${keepLast}`);
  const newestFirst = [...snapshots].sort(compareNewestFirst);
  return newestFirst.slice(Math.max(keepLast, 1)).map((snapshot) => snapshot.snapshotId);
}

/** Newest first by creation time; ties broken by id so every caller sees one order. */
export function compareNewestFirst(a: SnapshotSummary, b: SnapshotSummary): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0 && !Number.isNaN(byTime)) return byTime;
  return a.snapshotId < b.snapshotId ? 1 : a.snapshotId > b.snapshotId ? -1 : 0;
}
