/** plan-service's internal API for restores (issue #9): requests, the worker's view, progress. */
import type { IncludeSettings } from './plans';

export type RestoreMode = 'new-repository' | 'overwrite';
export type RestoreStatus = 'queued' | 'running' | 'succeeded' | 'partially-failed' | 'failed';

export interface CreateRestoreRequest {
  snapshotId: string;
  target: { organizationId: string; repositoryName: string; mode: RestoreMode };
  /** what to restore; missing switches default to true (everything the snapshot holds) */
  include?: Partial<IncludeSettings>;
  /** `overwrite` only: the full name of the repository being overwritten, typed out */
  confirm?: string;
}

/** Counts of one kind of item (git refs, LFS objects, issues…). */
export interface RestoreItemCountsRecord {
  /** in the snapshot */
  source: number;
  /** in the target, written by this restore (over all its attempts) */
  restored: number;
  /** left out by design, see notRestored */
  notRestored: number;
  /** refused by the provider, see errors */
  failed: number;
}

export interface RestoreNotRestoredRecord {
  kind: string;
  reason: string;
  count: number;
  examples: string[];
}

export interface RestoreErrorRecord {
  /** the item kind, or null for an error of the restore as a whole */
  kind: string | null;
  /** which item (e.g. `#12`, a tag), when it is about one */
  item: string | null;
  message: string;
}

export interface RestoreRecord {
  id: string;
  snapshotId: string;
  /** the repository the snapshot was taken of */
  source: { organizationId: string; repositoryId: string; fullName: string };
  target: {
    organizationId: string;
    repositoryName: string;
    mode: RestoreMode;
    /** known once the worker found or created it */
    fullName: string | null;
    url: string | null;
  };
  include: IncludeSettings;
  status: RestoreStatus;
  /** what the worker is doing (e.g. `git`, `metadata`), or why a queued restore waits */
  statusDetail: string | null;
  workerPool: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** per item kind (`git-refs`, `lfs-objects`, `wiki-refs`, `labels`, `issues`, …) */
  items: Record<string, RestoreItemCountsRecord>;
  notRestored: RestoreNotRestoredRecord[];
  errors: RestoreErrorRecord[];
}

/** What a worker needs to run a restore, answered by plan-service (confirmation already checked). */
export interface RestoreWork {
  restoreId: string;
  status: RestoreStatus;
  snapshotId: string;
  sourceRepositoryId: string;
  sourceOrganizationId: string;
  sourceFullName: string;
  targetOrganizationId: string;
  repositoryName: string;
  mode: RestoreMode;
  include: IncludeSettings;
  workerPool: string;
  /** overwrite: refs upstream that the snapshot lacks may be deleted (the request carried the confirmation) */
  deleteExtraRefs: boolean;
}

/** A worker's report while (and when) a restore runs; every report replaces the previous numbers. */
export interface RestoreProgressReport {
  /** `running` while it works; a final status when it is done */
  status: RestoreStatus;
  statusDetail?: string | null;
  target?: { fullName: string; url: string | null };
  items: Record<string, RestoreItemCountsRecord>;
  notRestored: RestoreNotRestoredRecord[];
  errors: RestoreErrorRecord[];
}
