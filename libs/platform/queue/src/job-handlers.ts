import { SetMetadata } from '@nestjs/common';
import type { DomainEventType, JobName } from '@repovault/contracts/jobs';

export const JOB_HANDLER_KEY = 'repovault:job-handler';
export const EVENT_HANDLER_KEY = 'repovault:event-handler';

/** Marks the method that handles one job. Each job must have exactly one handler (checked at start-up). */
export const HandlesJob = (name: JobName) => SetMetadata(JOB_HANDLER_KEY, name);

/** Marks the method that handles one domain event this service subscribes to. */
export const HandlesEvent = (type: DomainEventType) => SetMetadata(EVENT_HANDLER_KEY, type);

/** What a handler gets besides the payload. */
export interface JobContext {
  jobId: string;
  queueName: string;
  attemptsMade: number;
  /** attempts the job has in all (this run included) */
  maxAttempts: number;
  /** renews the job's lock during long steps */
  extendLock(ms: number): Promise<void>;
  updateProgress(progress: number | object): Promise<void>;
}

/**
 * Thrown by a handler when the job cannot run now for reasons that are not its fault (a
 * dependency is down, a budget is spent): the job is delayed without using up an attempt.
 */
export class RetryLaterError extends Error {
  constructor(readonly delayMs: number, reason: string) {
    super(reason);
    this.name = 'RetryLaterError';
  }
}

/** Thrown when retrying cannot help (bad payload, object gone): the job fails at once. */
export class PermanentJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentJobError';
  }
}
