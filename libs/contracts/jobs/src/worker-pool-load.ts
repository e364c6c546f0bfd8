import { workQueueName } from './queue-names';

/**
 * What each worker process tells the autoscaler about itself, every few seconds, in one Redis hash
 * per pool (field: the worker's id; value: this record as JSON). plan-service reads it to tell
 * work that more workers would speed up from work that waits for rate-limit budgets.
 */
export interface WorkerLoadReport {
  pool: string;
  /** jobs this process runs at once */
  concurrency: number;
  /** provider calls of this process waiting for a claim reservation (every eligible budget spent) */
  waitingForBudget: number;
  /** epoch ms of the report; reports older than WORKER_LOAD_STALE_MS are ignored (a dead worker) */
  at: number;
}

export const WORKER_LOAD_INTERVAL_MS = 5_000;
export const WORKER_LOAD_STALE_MS = 20_000;

/** The Redis hash (under the stack's queue prefix) that holds a pool's worker reports. */
export function workerLoadKey(prefix: string, pool: string): string {
  return `${prefix}:worker-load:${workQueueName(pool)}`;
}
