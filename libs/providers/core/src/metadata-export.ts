import type { Readable } from 'node:stream';

/** Kinds of repository metadata a backup exports, one NDJSON file each. */
export const METADATA_KINDS = [
  'issues', 'pull-requests', 'issue-comments', 'review-comments', 'reviews', 'releases', 'release-assets', 'labels', 'milestones',
] as const;
export type MetadataKind = (typeof METADATA_KINDS)[number];

export interface ReleaseAssetRef {
  /** provider's asset id */
  id: string;
  releaseId: string;
  name: string;
  size: number;
  contentType: string | null;
}

/** Where an export writes: records as they are read (never all in memory), and asset bytes. */
export interface MetadataSink {
  record(kind: MetadataKind, record: unknown): Promise<void>;
  /** stores an asset's bytes; returns their sha256 (recorded next to the asset's metadata) */
  asset(asset: ReleaseAssetRef, body: Readable): Promise<{ sha256: string; bytes: number }>;
  /**
   * An asset already stored by an earlier snapshot (assets are immutable per id and size): the
   * exporter then records it without downloading it again.
   */
  knownAsset?(asset: ReleaseAssetRef): Promise<{ sha256: string; bytes: number } | null>;
}

export interface MetadataExportOptions {
  kinds: readonly MetadataKind[];
  /** download release asset bytes (otherwise only their metadata) */
  assets: boolean;
  signal?: AbortSignal;
  /**
   * Incremental export (only for exporters with `incremental: true`): write only what changed at or
   * after this instant (ISO 8601); the caller merges the records with the previous export by
   * `metadataRecordKey`. Deletions are not seen this way: callers run a full export regularly.
   */
  updatedSince?: string;
  /**
   * When the provider last saw activity on the repository, from the run's fresh listing (GitLab
   * `last_activity_at`, Bitbucket Cloud `updated_on`), if known: lets an incremental exporter skip
   * what cannot have changed without asking.
   */
  repositoryActivityAt?: string | null;
  /** Whether the repository's issue tracker is enabled, from the run's listing, if known. */
  repositoryHasIssues?: boolean | null;
}

/** Records written per kind. */
export type MetadataCounts = Partial<Record<MetadataKind, number>>;

/** An adapter that can export a repository's metadata. */
export interface MetadataExporter {
  /**
   * True when the exporter honours `updatedSince` (providers without free conditional requests);
   * exporters without it always export everything (GitHub revalidates with ETags instead).
   */
  readonly incremental?: boolean;
  exportMetadata(repositoryFullName: string, options: MetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts>;
}

/**
 * The identity of an exported record within its kind, for merging an incremental export into the
 * previous one: the provider's id, else a release's tag or a download's name; null when the record
 * has none (it is then kept as is and never replaced).
 */
export function metadataRecordKey(record: unknown): string | null {
  if (record === null || typeof record !== 'object') return null;
  const r = record as Record<string, unknown>;
  for (const field of ['id', 'tag_name', 'name'] as const) {
    const value = r[field];
    if (typeof value === 'number' || (typeof value === 'string' && value !== '')) return `${field}:${String(value)}`;
  }
  return null;
}
