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
  /** how the metadata files were made (absent in snapshots without metadata or older ones) */
  metadataExport?: MetadataExportInfo;
}

/**
 * Incremental exports ask the provider only for what changed since `asOf` of the previous snapshot
 * and merge it into that snapshot's files; a full export regularly re-reads everything (deletions).
 */
export interface MetadataExportInfo {
  mode: 'full' | 'incremental';
  /** RFC 3339: when this export started asking the provider (what the next one asks "since") */
  asOf: string;
  /** RFC 3339: when the last full export these files build on started */
  fullAsOf: string;
}

/** What listings return: enough to order snapshots and apply retention. */
export interface SnapshotSummary {
  snapshotId: string;
  createdAt: string;
}
