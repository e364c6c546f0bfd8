import type { ManifestFile, MetadataExportInfo, SnapshotManifest } from '@repovault/platform/storage';
import type { MetadataKind } from '@repovault/providers/core';

/** What this run's metadata export asks the provider for. */
export type MetadataExportPlan =
  | { mode: 'full'; info: MetadataExportInfo }
  | {
      mode: 'incremental';
      info: MetadataExportInfo;
      updatedSince: string;
      previousFiles: readonly ManifestFile[];
      /**
       * The organization was listed after the previous export started, so the listing's activity
       * fields cover every change since then; this export then counts as of that listing (a change
       * after it is asked for by the next export).
       */
      listingCoversSince: boolean;
    };

/** Changes the provider stamped shortly before the previous export started are asked for again (clock skew). */
export const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

/**
 * Incremental when the exporter supports it, the previous snapshot's export recorded when it ran and
 * holds a file for every kind wanted now, and its last full export is younger than `fullEveryMs`
 * (incremental exports cannot see deletions, so a full one runs at least that often).
 */
export function planMetadataExport(
  previous: SnapshotManifest | null, kinds: readonly MetadataKind[], incrementalSupported: boolean, fullEveryMs: number, now: Date, listedAt: string | null,
): MetadataExportPlan {
  const asOf = now.toISOString();
  const full: MetadataExportPlan = { mode: 'full', info: { mode: 'full', asOf, fullAsOf: asOf } };
  const last = previous?.metadataExport;
  if (!incrementalSupported || !previous || !last) return full;
  if (now.getTime() - Date.parse(last.fullAsOf) >= fullEveryMs) return full;
  const paths = new Set(previous.files.filter((f) => f.kind === 'metadata').map((f) => f.path));
  if (!kinds.every((kind) => paths.has(`metadata/${kind}.ndjson`))) return full;
  const listed = listedAt === null ? NaN : Date.parse(listedAt);
  const listingCoversSince = Number.isFinite(listed) && listed > Date.parse(last.asOf) && listed <= now.getTime();
  return {
    mode: 'incremental',
    info: { mode: 'incremental', asOf: listingCoversSince ? new Date(listed).toISOString() : asOf, fullAsOf: last.fullAsOf },
    updatedSince: new Date(Date.parse(last.asOf) - CLOCK_SKEW_MARGIN_MS).toISOString(),
    previousFiles: previous.files,
    listingCoversSince,
  };
}
