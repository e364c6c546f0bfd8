import type { Clock } from '../../core/clock';
import type { HeaderMap } from '../../core/http-io';
import { ALL_RESOURCES, type IdentityLedger } from '../../core/identity-stats';
import { TokenBucketModel, type RateDecision } from '../../core/rate-models';
import type { ResolvedBitbucketDcOptions } from './bitbucket-dc-options';

/**
 * Data Center's limiter: one token bucket per user (here per identity, on the single simulated
 * node), shared by REST and git over HTTP: every request, git's included, takes a token.
 */
export class BitbucketDcRateLimits {
  private readonly bucket: TokenBucketModel;

  constructor(
    private readonly options: ResolvedBitbucketDcOptions,
    private readonly clock: Clock,
    private readonly ledger: IdentityLedger,
  ) {
    this.bucket = new TokenBucketModel({ capacity: options.capacity, refillPerSecond: options.refillPerSecond, secondMs: clock.durationMs(1) });
  }

  /** Takes a token; a refusal tells the identity to wait (every resource: the bucket is shared). */
  consume(identity: string): RateDecision {
    const decision = this.bucket.consume(identity, this.clock.now());
    if (!decision.allowed) this.ledger.announceWait(identity, ALL_RESOURCES, this.clock.now() + retryAfterSeconds(decision) * 1000);
    return decision;
  }

  /**
   * The bucket's state in Atlassian's headers. Rates are in real time: under a time scale the fill
   * rate per (real) second grows with it, so a client pacing on the headers paces correctly.
   */
  headers(decision: RateDecision): HeaderMap {
    const headers: HeaderMap = {
      'x-ratelimit-limit': decision.limit,
      'x-ratelimit-remaining': decision.remaining,
      'x-ratelimit-interval-seconds': 1,
      'x-ratelimit-fillrate': Number((this.options.refillPerSecond * this.clock.timeScale).toFixed(3)),
    };
    if (!decision.allowed) headers['retry-after'] = retryAfterSeconds(decision);
    return headers;
  }

  reset(): void {
    this.bucket.reset();
  }
}

export function retryAfterSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}
