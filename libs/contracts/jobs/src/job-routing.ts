import { JobName } from './job-payloads';
import { QueueName, ServiceName, eventsQueueName, workQueueName } from './queue-names';

/** The one service that handles each job. */
export const JOB_CONSUMER: Readonly<Record<JobName, ServiceName>> = {
  [JobName.RunStart]: ServiceName.BackupWorker,
  [JobName.RepositoryBackup]: ServiceName.BackupWorker,
  [JobName.RestoreRun]: ServiceName.BackupWorker,
  [JobName.PlanScheduleDue]: ServiceName.PlanService,
  [JobName.OrganizationSync]: ServiceName.OrgService,
  [JobName.DomainEvent]: ServiceName.PlanService, // every subscriber, see EVENT_SUBSCRIBERS
};

export type QueueTarget =
  | { kind: 'fixed'; queue: QueueName }
  | { kind: 'pool' }
  | { kind: 'events' };

/** Where each job is enqueued. */
export const JOB_QUEUE: Readonly<Record<JobName, QueueTarget>> = {
  [JobName.RunStart]: { kind: 'pool' },
  [JobName.RepositoryBackup]: { kind: 'pool' },
  [JobName.RestoreRun]: { kind: 'pool' },
  [JobName.PlanScheduleDue]: { kind: 'fixed', queue: QueueName.PlanSchedules },
  [JobName.OrganizationSync]: { kind: 'fixed', queue: QueueName.OrgSync },
  [JobName.DomainEvent]: { kind: 'events' },
};

/** Jobs (other than domain events) that a service must handle, exactly once each. */
export function jobsHandledBy(service: ServiceName): JobName[] {
  return (Object.keys(JOB_CONSUMER) as JobName[]).filter(
    (name) => name !== JobName.DomainEvent && JOB_CONSUMER[name] === service,
  );
}

/** Whether a job of this name can arrive on the named queue. */
export function jobArrivesOn(name: JobName, queue: string, service: ServiceName): boolean {
  const target = JOB_QUEUE[name];
  switch (target.kind) {
    case 'fixed':
      return target.queue === queue;
    case 'pool':
      return queue.startsWith('work-');
    case 'events':
      return queue === eventsQueueName(service);
  }
}

export function queueForJob(name: JobName, context: { pool?: string; service?: ServiceName }): string {
  const target = JOB_QUEUE[name];
  switch (target.kind) {
    case 'fixed':
      return target.queue;
    case 'pool':
      if (!context.pool) throw new Error(`job ${name} needs a worker pool`);
      return workQueueName(context.pool);
    case 'events':
      if (!context.service) throw new Error(`job ${name} needs a subscriber service`);
      return eventsQueueName(context.service);
  }
}
