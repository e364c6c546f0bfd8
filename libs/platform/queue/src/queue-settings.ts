import type { ServiceName } from '@repovault/contracts/jobs';

/** How this process talks to BullMQ. */
export interface QueueSettings {
  service: ServiceName;
  redisUrl: string;
  /** key prefix: lets tests and several stacks share one Redis */
  prefix: string;
}

export const QUEUE_SETTINGS = Symbol('QUEUE_SETTINGS');
/** names of the queues this process consumes */
export const CONSUMED_QUEUES = Symbol('CONSUMED_QUEUES');

export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
