import { createHash } from 'node:crypto';

/**
 * One snapshot per repository per run, with an id derived from both: a job that runs again after
 * a crash publishes under the same id, so a snapshot is never duplicated.
 */
export function snapshotIdFor(runId: string, repositoryId: string): string {
  const hex = createHash('sha256').update(`repovault-snapshot:${runId}:${repositoryId}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
