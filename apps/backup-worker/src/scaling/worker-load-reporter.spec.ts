import type { ClaimResponse } from '@repovault/contracts/internal-api';
import { type WorkerLoadReport, workerLoadKey } from '@repovault/contracts/jobs';
import { ClaimBroker, type ClaimsApi, ReservationWaits } from '@repovault/providers/transport';
import { LOCAL_REDIS, deleteRedisPrefix, uniqueQueuePrefix } from '@repovault/testing/support';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { WorkerLoadReporter } from './worker-load-reporter';

/** A claims API that answers "come back shortly" until the test lets it grant. */
class GatedClaims implements ClaimsApi {
  open = false;
  async claim(): Promise<ClaimResponse> {
    if (!this.open) return { granted: false, retryAt: new Date(Date.now() + 30).toISOString(), reason: 'budget spent' };
    return { granted: true, leaseId: 'l', budgetKey: 'k', credentialId: randomUUID(), identityKey: 'github:x:user:1', expiresAt: new Date(Date.now() + 60_000).toISOString() };
  }
  complete(): Promise<void> {
    return Promise.resolve();
  }
  renew(): Promise<void> {
    return Promise.resolve();
  }
  material(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
}

describe('WorkerLoadReporter', () => {
  const prefix = uniqueQueuePrefix('worker-load');
  const redis = new Redis(LOCAL_REDIS);
  afterAll(async () => {
    redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  const reportOf = async (reporter: WorkerLoadReporter): Promise<WorkerLoadReport | null> => {
    const raw = await redis.hget(workerLoadKey(prefix, 'eu'), reporter.workerId);
    return raw ? (JSON.parse(raw) as WorkerLoadReport) : null;
  };

  it('reports the claims that wait for a reservation while they wait, and leaves the pool when the worker drains', async () => {
    const waits = new ReservationWaits();
    const claims = new GatedClaims();
    const broker = new ClaimBroker(claims, () => undefined, waits);
    const reporter = new WorkerLoadReporter(redis, waits, { queuePrefix: prefix, pool: 'eu', concurrency: 6, intervalMs: 60_000 });

    await reporter.report();
    expect(await reportOf(reporter)).toMatchObject({ pool: 'eu', concurrency: 6, waitingForBudget: 0 });

    const request = { purpose: 'backup' as const, organizationId: randomUUID(), resource: 'core', runId: randomUUID(), planId: randomUUID() };
    const leases = [broker.acquire('t', request), broker.acquire('t', request)];
    while (waits.current < 2) await new Promise((r) => setTimeout(r, 5));
    await reporter.report();
    expect((await reportOf(reporter))?.waitingForBudget).toBe(2);

    claims.open = true;
    const granted = await Promise.all(leases);
    expect(granted.every((l) => l.waitedMs > 0)).toBe(true);
    expect(waits.current).toBe(0);
    await reporter.report();
    expect((await reportOf(reporter))?.waitingForBudget).toBe(0);

    await reporter.beforeApplicationShutdown();
    expect(await reportOf(reporter)).toBeNull();
  });
});
