import type { RateLimitSnapshot } from '@repovault/providers/core';

export type HeaderBag = Record<string, string | number | undefined> | Headers;

export function headerOf(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower && value !== undefined) return String(value);
  return undefined;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * Data Center's token bucket is shared by REST and git over HTTP: one budget per identity (and
 * node). REST calls are `api`; the transport names git calls `git`: budget rules must map both to
 * the same bucket.
 */
export const BITBUCKET_DC_RESOURCE = 'api';

/** Which budget a REST path draws from: always the one bucket (the path does not matter). */
export function bitbucketDcResourceOf(): string {
  return BITBUCKET_DC_RESOURCE;
}

/** What a Data Center response said about its bucket; every field is absent when it did not say. */
export interface BitbucketDcBudget {
  /** bucket capacity (`X-RateLimit-Limit`) */
  limit?: number;
  /** tokens left (`X-RateLimit-Remaining`) */
  remaining?: number;
  /** epoch ms when the bucket is full again at the advertised fill rate */
  resetAt?: number;
  /** after a 429: `Retry-After` (seconds or an HTTP date) */
  retryAfterMs?: number;
  /** tokens per ms (`X-RateLimit-FillRate` per `X-RateLimit-Interval-Seconds`) */
  refillPerMs?: number;
}

/** Reads `X-RateLimit-Limit`, `-Remaining`, `-Interval-Seconds`, `-FillRate` and, on a 429, `Retry-After`. */
export function bitbucketDcBudgetFrom(status: number, headers: HeaderBag, nowMs: number = Date.now()): BitbucketDcBudget {
  const budget: BitbucketDcBudget = {};
  const limit = number(headerOf(headers, 'x-ratelimit-limit'));
  const remaining = number(headerOf(headers, 'x-ratelimit-remaining'));
  const interval = number(headerOf(headers, 'x-ratelimit-interval-seconds'));
  const fill = number(headerOf(headers, 'x-ratelimit-fillrate'));
  if (limit !== undefined) budget.limit = limit;
  if (remaining !== undefined) budget.remaining = remaining;
  if (fill !== undefined && fill > 0) budget.refillPerMs = fill / ((interval && interval > 0 ? interval : 1) * 1000);
  if (limit !== undefined && remaining !== undefined && budget.refillPerMs !== undefined) {
    budget.resetAt = nowMs + Math.ceil(Math.max(0, limit - remaining) / budget.refillPerMs);
  }
  if (status === 429) {
    const retryAfter = headerOf(headers, 'retry-after');
    const seconds = number(retryAfter);
    if (seconds !== undefined) budget.retryAfterMs = Math.max(0, seconds * 1000);
    else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) budget.retryAfterMs = Math.max(0, Date.parse(retryAfter) - nowMs);
    else if (budget.refillPerMs !== undefined) budget.retryAfterMs = Math.ceil(1 / budget.refillPerMs);
  }
  return budget;
}

/** The bucket a response reported, for a credential's identity (null when rate limiting is off). */
export function bitbucketDcRateLimitFrom(headers: HeaderBag, nowMs: number = Date.now()): RateLimitSnapshot | null {
  const budget = bitbucketDcBudgetFrom(200, headers, nowMs);
  if (budget.limit === undefined) return null;
  return {
    limit: budget.limit,
    remaining: budget.remaining ?? null,
    resetAt: budget.resetAt === undefined ? null : new Date(budget.resetAt).toISOString(),
    resource: BITBUCKET_DC_RESOURCE,
  };
}
