import { assertPositive, type ConsumeOptions, type RateDecision, type RateModel } from './rate-model';

export interface SlidingWindowOptions {
  limit: number;
  /** Real length of the rolling window (already scaled by the clock). */
  windowMs: number;
}

interface Entry {
  atMs: number;
  cost: number;
}

/**
 * A rolling window (Bitbucket Cloud's hour): a request passes when the units spent in the last
 * `windowMs` plus its own cost stay within the limit. Room comes back entry by entry as they age out.
 */
export class SlidingWindowModel implements RateModel {
  private readonly entries = new Map<string, Entry[]>();

  constructor(private readonly options: SlidingWindowOptions) {
    assertPositive('limit', options.limit);
    assertPositive('windowMs', options.windowMs);
  }

  consume(key: string, nowMs: number, options: ConsumeOptions = {}): RateDecision {
    const cost = options.cost ?? 1;
    const entries = this.live(key, nowMs);
    const used = sum(entries);
    if (used + cost > this.options.limit) {
      return this.refusal(entries, used, cost, nowMs);
    }
    entries.push({ atMs: nowMs, cost });
    return this.allowed(entries, used + cost, nowMs);
  }

  peek(key: string, nowMs: number, options: ConsumeOptions = {}): RateDecision {
    const cost = options.cost ?? 1;
    const entries = this.live(key, nowMs);
    const used = sum(entries);
    return used + cost > this.options.limit ? this.refusal(entries, used, cost, nowMs) : this.allowed(entries, used, nowMs);
  }

  refund(key: string, nowMs: number, cost = 1): void {
    const entries = this.live(key, nowMs);
    for (let i = entries.length - 1; i >= 0 && cost > 0; i--) {
      const entry = entries[i];
      const taken = Math.min(entry.cost, cost);
      entry.cost -= taken;
      cost -= taken;
      if (entry.cost === 0) entries.splice(i, 1);
    }
  }

  reset(): void {
    this.entries.clear();
  }

  private live(key: string, nowMs: number): Entry[] {
    let entries = this.entries.get(key);
    if (!entries) {
      entries = [];
      this.entries.set(key, entries);
    }
    const horizon = nowMs - this.options.windowMs;
    let expired = 0;
    while (expired < entries.length && entries[expired].atMs <= horizon) expired++;
    if (expired > 0) entries.splice(0, expired);
    return entries;
  }

  private allowed(entries: Entry[], used: number, nowMs: number): RateDecision {
    return {
      allowed: true,
      limit: this.options.limit,
      remaining: Math.max(0, this.options.limit - used),
      used,
      resetAtMs: entries.length > 0 ? entries[0].atMs + this.options.windowMs : nowMs,
      retryAfterMs: 0,
    };
  }

  private refusal(entries: Entry[], used: number, cost: number, nowMs: number): RateDecision {
    // The earliest moment enough old entries have aged out to make room for this cost.
    let freed = 0;
    let atMs = nowMs;
    for (const entry of entries) {
      freed += entry.cost;
      atMs = entry.atMs + this.options.windowMs;
      if (used - freed + cost <= this.options.limit) break;
    }
    return {
      allowed: false,
      limit: this.options.limit,
      remaining: 0,
      used,
      resetAtMs: atMs,
      retryAfterMs: Math.max(0, atMs - nowMs),
    };
  }
}

function sum(entries: Entry[]): number {
  let total = 0;
  for (const entry of entries) total += entry.cost;
  return total;
}
