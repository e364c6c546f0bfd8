/** plan-service's internal API: plans, runs, per-repository results and the snapshot catalogue. */

export interface IncludeSettings {
  git: boolean;
  lfs: boolean;
  wiki: boolean;
  issues: boolean;
  pullRequests: boolean;
  comments: boolean;
  releases: boolean;
  labels: boolean;
  milestones: boolean;
}

export type RepositorySelection = { mode: 'all'; exclude: string[] } | { mode: 'selected'; ids: string[] };
export type PlanSchedule = { hours: number[] } | { intervalMinutes: number } | { cron: string } | null;

export interface AdditionalCredentialsSetting {
  /** the "Additional git credentials" switch */
  enabled: boolean;
  /** accounts toggled on; only credentials of the plan's organization */
  credentialIds: string[];
}

export interface PlanRecord {
  id: string;
  organizationId: string;
  name: string;
  isDefault: boolean;
  repositories: RepositorySelection;
  include: IncludeSettings;
  schedule: PlanSchedule;
  retention: { keepLast: number };
  advanced: { additionalCredentials: AdditionalCredentialsSetting };
  /** overrides the organization's default worker pool */
  workerPool: string | null;
  /** e.g. an enabled credential that cannot read metadata while metadata is included */
  warnings: string[];
  nextRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What credential-service needs to decide which credentials a run may use. */
export interface PlanCredentialPolicy {
  planId: string;
  organizationId: string;
  additionalCredentials: AdditionalCredentialsSetting;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'partially-failed' | 'failed' | 'cancelled';
export type RepositoryRunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped';

export interface RunRecord {
  id: string;
  planId: string;
  organizationId: string;
  status: RunStatus;
  /** why a queued run has not started (e.g. no live worker in its pool) */
  statusDetail: string | null;
  trigger: 'manual' | 'schedule';
  workerPool: string;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  repositories: { total: number; succeeded: number; failed: number; skipped: number; pending: number };
  apiCalls: { total: number; byCredential: Record<string, number> };
  throttle: { waitMs: number; refusals: number };
  errors: { repositoryId: string | null; message: string }[];
}

export interface RunRepositoryRecord {
  repositoryId: string;
  fullName: string;
  status: RepositoryRunStatus;
  snapshotId: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
}

/** What credential-service checks before it hands a worker credentials for a run: the run's pool. */
export interface RunClaimScope {
  runId: string;
  planId: string;
  organizationId: string;
  /** only workers of this pool may claim for the run */
  workerPool: string;
}

/** What a worker needs to run a repository job, answered by plan-service. */
export interface RunWork {
  runId: string;
  planId: string;
  organizationId: string;
  status: RunStatus;
  include: IncludeSettings;
  workerPool: string;
  /** repositories of the run (fixed when the run starts) */
  repositoryIds: string[];
}

export interface SnapshotFileRecord {
  path: string;
  sha256: string;
  bytes: number;
  kind: 'bundle' | 'wiki-bundle' | 'metadata' | 'lfs' | 'asset';
}

export interface SnapshotRecord {
  id: string;
  repositoryId: string;
  organizationId: string;
  planId: string;
  runId: string;
  repositoryFullName: string;
  createdAt: string;
  refs: Record<string, string>;
  wikiRefs: Record<string, string> | null;
  metadata: Record<string, number>;
  lfsObjects: number;
  sizeBytes: number;
  /** bytes this snapshot added to the store (0 for an unchanged repository) */
  newBytes: number;
  files: SnapshotFileRecord[];
}

/** A worker's report that a repository of a run finished. */
export interface RepositoryResultReport {
  status: 'succeeded' | 'failed' | 'skipped';
  error?: string;
  snapshot?: SnapshotRecord;
}
