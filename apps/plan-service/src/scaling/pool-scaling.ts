/**
 * How many workers a pool should run, from its queue and its workers' own reports. Pure, so the
 * rules are tested on their own; PoolScalingService gathers the numbers.
 */

/** At least this share of the active jobs waiting for rate-limit reservations makes a pool budget-bound. */
export const BUDGET_BOUND_PERCENT = 50;

export interface PoolSnapshot {
  pool: string;
  jobs: { waiting: number; prioritized: number; delayed: number; active: number };
  /** worker processes that reported recently */
  liveWorkers: number;
  /** jobs one worker process runs at once */
  concurrency: number;
  /** provider calls of the pool's workers waiting for a claim reservation */
  waitingForBudget: number;
}

export interface PoolScaling {
  pool: string;
  jobs: PoolSnapshot['jobs'];
  /** jobs that a free worker slot would start: waiting + prioritized + delayed */
  runnableBacklog: number;
  workers: { live: number; concurrency: number };
  waitingForBudget: number;
  /** most active jobs wait for rate-limit budgets: more workers would not finish sooner */
  budgetBound: boolean;
  /** what the autoscaler should aim for (KEDA metrics-api / HPA external metric, target 1 per worker) */
  desiredWorkers: number;
  reason: string;
}

export function decideWorkers(snapshot: PoolSnapshot): PoolScaling {
  const { jobs, liveWorkers } = snapshot;
  const concurrency = Math.max(1, Math.floor(snapshot.concurrency));
  const runnableBacklog = jobs.waiting + jobs.prioritized + jobs.delayed;
  const demand = runnableBacklog + jobs.active;
  const waitingForBudget = Math.min(snapshot.waitingForBudget, jobs.active);
  const budgetBound = waitingForBudget > 0 && waitingForBudget * 100 >= jobs.active * BUDGET_BOUND_PERCENT;
  const base = { pool: snapshot.pool, jobs, runnableBacklog, workers: { live: liveWorkers, concurrency }, waitingForBudget, budgetBound };
  if (demand === 0) return { ...base, desiredWorkers: 0, reason: 'no runnable or active jobs' };
  const workerBound = Math.ceil(demand / concurrency);
  if (budgetBound) {
    const cap = Math.max(liveWorkers, 1);
    return {
      ...base,
      desiredWorkers: Math.min(workerBound, cap),
      reason: `${waitingForBudget} of ${jobs.active} active jobs wait for rate-limit budgets: held at ${cap} worker(s), more would only wait too`,
    };
  }
  return { ...base, desiredWorkers: workerBound, reason: `${demand} runnable or active jobs at ${concurrency} per worker` };
}
