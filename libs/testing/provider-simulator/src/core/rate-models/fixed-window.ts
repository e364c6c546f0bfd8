import { assertPositive, ceilToSecond, type ConsumeOptions, type RateDecision, type RateModel } from './rate-model';

export interface FixedWindowOptions {
  limit: number;
  /** Real length of a window (already scaled by the clock). */
  windowMs: number;
}

interface Window {
  resetAtMs: number;
  used: number;
}

/**
 * GitHub's primary limit: a window opens with the first request after the previous one ended and
 * closes `windowMs` later, rounded up to a whole second (that second is what `x-ratelimit-reset` says).
 */
export class FixedWindowModel implements RateModel {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: FixedWindowOptions) {
    assertPositive('limit', options.limit);
    assertPositive('windowMs', options.windowMs);
  }

  get limit(): number {
    return this.options.limit;
  }

  consume(key: string, nowMs: number, options: ConsumeOptions = {}): RateDecision {
    const cost = options.cost ?? 1;
    const window = this.current(key, nowMs) ?? this.open(key, nowMs);
    if (window.used + cost > this.options.limit) {
      return this.decision(window, false, nowMs);
    }
    window.used += cost;
    return this.decision(window, true, nowMs);
  }

  peek(key: string, nowMs: number): RateDecision {
    const window = this.current(key, nowMs) ?? { resetAtMs: ceilToSecond(nowMs + this.options.windowMs), used: 0 };
    return this.decision(window, window.used < this.options.limit, nowMs);
  }

  refund(key: string, nowMs: number, cost = 1): void {
    const window = this.current(key, nowMs);
    if (window) window.used = Math.max(0, window.used - cost);
  }

  reset(): void {
    this.windows.clear();
  }

  private current(key: string, nowMs: number): Window | undefined {
    const window = this.windows.get(key);
    return window && nowMs < window.resetAtMs ? window : undefined;
  }

  private open(key: string, nowMs: number): Window {
    const window = { resetAtMs: ceilToSecond(nowMs + this.options.windowMs), used: 0 };
    this.windows.set(key, window);
    return window;
  }

  private decision(window: Window, allowed: boolean, nowMs: number): RateDecision {
    const remaining = Math.max(0, this.options.limit - window.used);
    return {
      allowed,
      limit: this.options.limit,
      remaining: allowed ? remaining : 0,
      used: window.used,
      resetAtMs: window.resetAtMs,
      retryAfterMs: allowed ? 0 : window.resetAtMs - nowMs,
    };
  }
}
