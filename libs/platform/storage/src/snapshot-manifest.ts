/** The NDJSON metadata files a snapshot may hold, one per kind. */
export const METADATA_KINDS = [
  'issues',
  'pull-requests',
  'issue-comments',
  'review-comments',
  'reviews',
  'releases',
  'release-assets',
  'labels',
  'milestones',
] as const;
export type MetadataKind = (typeof METADATA_KINDS)[number];

export const MANIFEST_FILE_KINDS = ['bundle', 'wiki-bundle', 'metadata', 'lfs', 'asset'] as const;
export type ManifestFileKind = (typeof MANIFEST_FILE_KINDS)[number];

export interface ManifestFile {
  /** where the file goes when the snapshot is restored: relative, '/'-separated, no '..' */
  path: string;
  sha256: string;
  bytes: number;
  kind: ManifestFileKind;
}

export interface SnapshotManifest {
  formatVersion: 1;
  snapshotId: string;
  tenantId: string;
  organizationId: string;
  repositoryId: string;
  runId: string;
  repositoryFullName: string;
  /** RFC 3339 */
  createdAt: string;
  /** ref name -> object id */
  refs: Record<string, string>;
  wikiRefs: Record<string, string> | null;
  /** metadata kind -> record count */
  metadata: Record<string, number>;
  lfsObjects: number;
  files: ManifestFile[];
  /** sum of the files' bytes */
  sizeBytes: number;
}

/** What listings return: enough to order snapshots and apply retention. */
export interface SnapshotSummary {
  snapshotId: string;
  createdAt: string;
}
