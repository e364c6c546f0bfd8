import type { DomainEvent } from './domain-events';

/**
 * Every job the system runs, as one discriminated union. Payloads carry ids only — never secrets,
 * tokens or URLs with credentials — because BullMQ stores job data as plain text in Redis.
 */
export const JobName = {
  /** worker: expand a run into one job per repository */
  RunStart: 'run.start',
  /** worker: back up one repository for a run */
  RepositoryBackup: 'repository.backup',
  /** worker: restore one snapshot into a repository (resumable: it may run again after a crash) */
  RestoreRun: 'restore.run',
  /** plan-service: a plan's schedule is due */
  PlanScheduleDue: 'plan.schedule-due',
  /** org-service: discover an organization's repositories */
  OrganizationSync: 'organization.sync',
  /** any service: a domain event delivered to one subscriber */
  DomainEvent: 'domain.event',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export interface JobPayloads {
  [JobName.RunStart]: { tenantId: string; runId: string };
  [JobName.RepositoryBackup]: { tenantId: string; runId: string; repositoryId: string };
  [JobName.RestoreRun]: { tenantId: string; restoreId: string };
  [JobName.PlanScheduleDue]: { tenantId: string; planId: string };
  [JobName.OrganizationSync]: { tenantId: string; organizationId: string };
  [JobName.DomainEvent]: DomainEvent;
}

export type JobOf<N extends JobName> = JobPayloads[N];

/** One discriminated union of all jobs: `{ name, data }`. */
export type JobItem = { [N in JobName]: { name: N; data: JobPayloads[N] } }[JobName];
