import type { ClaimCompletion, ClaimRequest, LeaseRef } from '@repovault/contracts/internal-api';
import { ServiceUnreachableError, UpstreamProblemError } from '@repovault/platform/http';
import { RetryLaterError } from '@repovault/platform/queue';
import type { ClaimsApi } from './claims-api';
import { ReservationWaits } from './reservation-waits';

export interface HeldLease extends LeaseRef {
  credentialId: string;
  identityKey: string;
  waitedMs: number;
}

const MAX_SINGLE_WAIT_MS = 60_000;

/**
 * Claims a token for one provider call, waiting for the time credential-service names when every
 * eligible budget is spent; credential-service or Redis unreachable delays the job (no attempt used).
 */
export class ClaimBroker {
  constructor(
    private readonly clients: ClaimsApi,
    /** round-trip time of each claim call, for the claim-latency histogram */
    private readonly observeLatency: (ms: number) => void = () => undefined,
    /** claims waiting for a reservation right now (budget-bound work, for autoscaling) */
    readonly reservationWaits: ReservationWaits = new ReservationWaits(),
  ) {}

  async acquire(tenantId: string, request: ClaimRequest, signal?: AbortSignal): Promise<HeldLease> {
    let waitedMs = 0;
    for (;;) {
      signal?.throwIfAborted();
      let response;
      const sent = process.hrtime.bigint();
      try {
        response = await this.clients.claim(tenantId, request);
        this.observeLatency(Number(process.hrtime.bigint() - sent) / 1e6);
      } catch (error) {
        if (error instanceof ServiceUnreachableError || (error instanceof UpstreamProblemError && error.problem.status >= 500)) {
          // fail closed: no call without a claim; the job waits instead of failing
          throw new RetryLaterError(15_000, `claims unavailable: ${error.message}`);
        }
        throw error;
      }
      if (response.granted) {
        return { leaseId: response.leaseId, budgetKey: response.budgetKey, credentialId: response.credentialId, identityKey: response.identityKey, waitedMs };
      }
      // the time credential-service named (plus a little jitter so waiters do not all return at once):
      // waiting for our turn is what the run report calls throttle
      const wait = Math.min(Math.max(new Date(response.retryAt).getTime() - Date.now(), 5), MAX_SINGLE_WAIT_MS) + Math.floor(Math.random() * 10);
      await this.reservationWaits.during(sleep(wait, signal));
      waitedMs += wait;
    }
  }

  async complete(tenantId: string, lease: HeldLease, runId: string | undefined, completion: ClaimCompletion): Promise<void> {
    await this.clients.complete(tenantId, { leaseId: lease.leaseId, budgetKey: lease.budgetKey, credentialId: lease.credentialId, runId }, { ...completion, waitedMs: lease.waitedMs });
  }

  async renew(tenantId: string, lease: HeldLease): Promise<void> {
    await this.clients.renew(tenantId, { leaseId: lease.leaseId, budgetKey: lease.budgetKey });
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    }, { once: true });
  });
}
