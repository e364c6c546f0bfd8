import { assertPositive, type ConsumeOptions, type RateDecision, type RateModel } from './rate-model';

export interface PerMinuteWindowOptions {
  /** Units per period for one key (GitLab: per user). */
  limit: number;
  /** Units per period for everything sharing one aggregate key (GitLab: per IP); omit for none. */
  aggregateLimit?: number;
  /** Real length of the period (a scaled minute). Windows are aligned to multiples of it, as Rack::Attack does. */
  periodMs: number;
}

export interface PerMinuteDecision extends RateDecision {
  /** Which counter refused (or, when allowed, which one is closer to its limit). */
  limitedBy: 'key' | 'aggregate';
}

/**
 * GitLab-style throttle: epoch-aligned windows with two counters, one per key and one shared by an
 * aggregate key. A request passes only when both have room, and then it is charged to both.
 */
export class PerMinuteWindowModel implements RateModel {
  private readonly counters = new Map<string, { windowStartMs: number; used: number }>();

  constructor(private readonly options: PerMinuteWindowOptions) {
    assertPositive('limit', options.limit);
    assertPositive('periodMs', options.periodMs);
    if (options.aggregateLimit !== undefined) assertPositive('aggregateLimit', options.aggregateLimit);
  }

  consume(key: string, nowMs: number, options: ConsumeOptions = {}): PerMinuteDecision {
    const decision = this.peek(key, nowMs, options);
    if (!decision.allowed) return decision;
    const cost = options.cost ?? 1;
    this.counter(`k:${key}`, nowMs).used += cost;
    if (this.tracksAggregate(options)) this.counter(`a:${options.aggregateKey}`, nowMs).used += cost;
    return this.peekAfterCharge(key, nowMs, options);
  }

  peek(key: string, nowMs: number, options: ConsumeOptions = {}): PerMinuteDecision {
    const cost = options.cost ?? 1;
    const own = this.describe(this.counter(`k:${key}`, nowMs).used, this.options.limit, cost, nowMs, 'key');
    if (!this.tracksAggregate(options)) return own;
    const aggregateLimit = this.options.aggregateLimit ?? 0;
    const shared = this.describe(this.counter(`a:${options.aggregateKey}`, nowMs).used, aggregateLimit, cost, nowMs, 'aggregate');
    if (!own.allowed) return own;
    if (!shared.allowed) return shared;
    return shared.remaining < own.remaining ? shared : own;
  }

  refund(key: string, nowMs: number, cost = 1): void {
    const counter = this.counter(`k:${key}`, nowMs);
    counter.used = Math.max(0, counter.used - cost);
  }

  reset(): void {
    this.counters.clear();
  }

  private peekAfterCharge(key: string, nowMs: number, options: ConsumeOptions): PerMinuteDecision {
    // After charging, describe the state with zero extra cost so `remaining` may reach 0 and still pass.
    const decision = this.peek(key, nowMs, { ...options, cost: 0 });
    return { ...decision, allowed: true };
  }

  private tracksAggregate(options: ConsumeOptions): options is ConsumeOptions & { aggregateKey: string } {
    return options.aggregateKey !== undefined && this.options.aggregateLimit !== undefined;
  }

  private counter(id: string, nowMs: number): { windowStartMs: number; used: number } {
    const windowStartMs = Math.floor(nowMs / this.options.periodMs) * this.options.periodMs;
    let counter = this.counters.get(id);
    if (!counter || counter.windowStartMs !== windowStartMs) {
      counter = { windowStartMs, used: 0 };
      this.counters.set(id, counter);
    }
    return counter;
  }

  private describe(used: number, limit: number, cost: number, nowMs: number, limitedBy: 'key' | 'aggregate'): PerMinuteDecision {
    const resetAtMs = (Math.floor(nowMs / this.options.periodMs) + 1) * this.options.periodMs;
    const allowed = used + cost <= limit;
    return {
      allowed,
      limit,
      remaining: allowed ? Math.max(0, limit - used) : 0,
      used,
      resetAtMs,
      retryAfterMs: allowed ? 0 : resetAtMs - nowMs,
      limitedBy,
    };
  }
}
