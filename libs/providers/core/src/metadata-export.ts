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
}

/** Records written per kind. */
export type MetadataCounts = Partial<Record<MetadataKind, number>>;

/** An adapter that can export a repository's metadata. */
export interface MetadataExporter {
  exportMetadata(repositoryFullName: string, options: MetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts>;
}
