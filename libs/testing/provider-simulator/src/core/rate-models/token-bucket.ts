import { assertPositive, type ConsumeOptions, type RateDecision, type RateModel } from './rate-model';

export interface TokenBucketOptions {
  capacity: number;
  /** Tokens added per simulated second. */
  refillPerSecond: number;
  /** Real length of one simulated second (the clock's `durationMs(1)`); default 1000. */
  secondMs?: number;
}

interface Bucket {
  tokens: number;
  atMs: number;
}

/** Bitbucket Data Center's limiter: a bucket that starts full and refills continuously. */
export class TokenBucketModel implements RateModel {
  private readonly buckets = new Map<string, Bucket>();
  private readonly secondMs: number;

  constructor(private readonly options: TokenBucketOptions) {
    assertPositive('capacity', options.capacity);
    assertPositive('refillPerSecond', options.refillPerSecond);
    this.secondMs = options.secondMs ?? 1000;
    assertPositive('secondMs', this.secondMs);
  }

  consume(key: string, nowMs: number, options: ConsumeOptions = {}): RateDecision {
    const cost = options.cost ?? 1;
    const bucket = this.refilled(key, nowMs);
    if (bucket.tokens + 1e-9 < cost) return this.decision(bucket, false, cost, nowMs);
    bucket.tokens = Math.max(0, bucket.tokens - cost);
    return this.decision(bucket, true, cost, nowMs);
  }

  peek(key: string, nowMs: number, options: ConsumeOptions = {}): RateDecision {
    const cost = options.cost ?? 1;
    const bucket = this.refilled(key, nowMs);
    return this.decision(bucket, bucket.tokens + 1e-9 >= cost, cost, nowMs);
  }

  refund(key: string, nowMs: number, cost = 1): void {
    const bucket = this.refilled(key, nowMs);
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + cost);
  }

  reset(): void {
    this.buckets.clear();
  }

  private refilled(key: string, nowMs: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.options.capacity, atMs: nowMs };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsedSeconds = Math.max(0, nowMs - bucket.atMs) / this.secondMs;
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + elapsedSeconds * this.options.refillPerSecond);
    bucket.atMs = nowMs;
    return bucket;
  }

  private msUntil(tokens: number, target: number): number {
    return Math.max(0, Math.ceil(((target - tokens) / this.options.refillPerSecond) * this.secondMs));
  }

  private decision(bucket: Bucket, allowed: boolean, cost: number, nowMs: number): RateDecision {
    const remaining = Math.floor(bucket.tokens + 1e-9);
    return {
      allowed,
      limit: this.options.capacity,
      remaining: allowed ? remaining : 0,
      used: this.options.capacity - remaining,
      resetAtMs: nowMs + this.msUntil(bucket.tokens, this.options.capacity),
      retryAfterMs: allowed ? 0 : this.msUntil(bucket.tokens, cost),
    };
  }
}
