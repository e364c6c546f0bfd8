/** The outcome of asking a budget for room; all times are real epoch milliseconds. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** What is left after this request (0 when refused). */
  remaining: number;
  used: number;
  /** When the budget is next replenished (window end, oldest entry expiring, bucket full). */
  resetAtMs: number;
  /** How long a refused caller must wait before the same request could pass; 0 when allowed. */
  retryAfterMs: number;
}

export interface ConsumeOptions {
  /** Units this request costs (GitHub secondary points: GET 1, writes 5). Default 1. */
  cost?: number;
  /** A second key that shares an aggregate limit (GitLab: the client IP next to the user). */
  aggregateKey?: string;
}

/**
 * A provider-neutral budget: keyed by identity (never by token), pure with respect to time (the
 * caller passes `nowMs`), so models can be unit-tested without waiting.
 */
export interface RateModel {
  consume(key: string, nowMs: number, options?: ConsumeOptions): RateDecision;
  /** The state a request would see, without spending anything. */
  peek(key: string, nowMs: number, options?: ConsumeOptions): RateDecision;
  /** Gives back units spent by a request that turned out to be free (GitHub's authorized 304). */
  refund(key: string, nowMs: number, cost?: number): void;
  reset(): void;
}

export function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${value}`);
}

/** Rounds up to a whole epoch second so a client that waits until the advertised second is never early. */
export function ceilToSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}
