/**
 * Queues. Backup and restore work goes to a per-pool queue so an operator can run a group of
 * workers near a self-managed instance; every service that consumes domain events has its own
 * events queue so one event reaches each subscriber once.
 */
export const ServiceName = {
  ApiGateway: 'api-gateway',
  OrgService: 'org-service',
  CredentialService: 'credential-service',
  PlanService: 'plan-service',
  BackupWorker: 'backup-worker',
} as const;
export type ServiceName = (typeof ServiceName)[keyof typeof ServiceName];
export const SERVICE_NAMES: readonly ServiceName[] = Object.values(ServiceName);

export const QueueName = {
  /** plan-service: due schedules (job schedulers) and repository sync schedules of org-service */
  PlanSchedules: 'plan-schedules',
  OrgSync: 'org-sync',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

const POOL_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** The pool of organizations that name none, and of worker tokens bound to none. */
export const DEFAULT_WORKER_POOL = 'default';

export function isValidPoolName(pool: string): boolean {
  return POOL_NAME.test(pool);
}

/** The queue a worker pool serves: runs, repository backups and restores of that pool. */
export function workQueueName(pool: string): string {
  if (!isValidPoolName(pool)) throw new Error(`invalid worker pool name "${pool}"`);
  return `work-${pool}`;
}

/** The events queue consumed by one service. */
export function eventsQueueName(service: ServiceName): string {
  return `events-${service}`;
}
