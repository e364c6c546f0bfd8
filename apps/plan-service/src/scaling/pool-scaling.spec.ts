import { decideWorkers, type PoolSnapshot } from './pool-scaling';

const snapshot = (overrides: Omit<Partial<PoolSnapshot>, 'jobs'> & { jobs?: Partial<PoolSnapshot['jobs']> } = {}): PoolSnapshot => ({
  pool: 'default', liveWorkers: 2, concurrency: 8, waitingForBudget: 0, ...overrides,
  jobs: { waiting: 0, prioritized: 0, delayed: 0, active: 0, ...overrides.jobs },
});

describe('decideWorkers', () => {
  it('wants no worker when there is nothing to do', () => {
    expect(decideWorkers(snapshot({ liveWorkers: 3 }))).toMatchObject({ runnableBacklog: 0, desiredWorkers: 0, budgetBound: false });
  });

  it('counts waiting, prioritized and delayed jobs as runnable backlog, plus the active ones, at the workers\' concurrency', () => {
    const answer = decideWorkers(snapshot({ jobs: { waiting: 10, prioritized: 5, delayed: 9, active: 16 } }));
    expect(answer.runnableBacklog).toBe(24);
    expect(answer.desiredWorkers).toBe(5); // 40 jobs / 8 per worker
    expect(decideWorkers(snapshot({ jobs: { delayed: 1 } })).desiredWorkers).toBe(1);
    expect(decideWorkers(snapshot({ jobs: { prioritized: 17 }, concurrency: 4 })).desiredWorkers).toBe(5);
  });

  it('scales a pool with no live worker up from zero', () => {
    expect(decideWorkers(snapshot({ liveWorkers: 0, jobs: { waiting: 1 } }))).toMatchObject({ desiredWorkers: 1, budgetBound: false });
  });

  it('holds the pool at its current size when most active jobs wait for rate-limit budgets', () => {
    const answer = decideWorkers(snapshot({ liveWorkers: 2, waitingForBudget: 12, jobs: { waiting: 500, active: 16 } }));
    expect(answer.budgetBound).toBe(true);
    expect(answer.desiredWorkers).toBe(2);
    expect(answer.reason).toMatch(/rate-limit budgets/);
    // a budget-bound pool still shrinks when its work shrinks
    expect(decideWorkers(snapshot({ liveWorkers: 4, waitingForBudget: 3, jobs: { active: 4 } })).desiredWorkers).toBe(1);
  });

  it('keeps scaling on backlog while only a few calls wait for budgets', () => {
    const answer = decideWorkers(snapshot({ liveWorkers: 2, waitingForBudget: 3, jobs: { waiting: 64, active: 16 } }));
    expect(answer).toMatchObject({ budgetBound: false, desiredWorkers: 10 });
  });

  it('never counts more budget waits than active jobs', () => {
    expect(decideWorkers(snapshot({ waitingForBudget: 50, jobs: { active: 4 } })).waitingForBudget).toBe(4);
  });
});
