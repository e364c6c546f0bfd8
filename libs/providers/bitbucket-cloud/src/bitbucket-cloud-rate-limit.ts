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
 * Which Bitbucket Cloud budget a REST path draws from: `api` for `/2.0/repositories/*` (the group
 * Bitbucket limits to 1,000 requests per rolling hour per identity and names `api` in
 * `X-RateLimit-Resource`), `core` for the rest of the API. Git traffic is its own budget (`git`,
 * 60,000 per hour), named by the transport.
 */
export function bitbucketCloudResourceOf(path: string): 'api' | 'core' {
  const p = path.replace(/^\/2\.0(?=\/|$)/, '');
  return p === '/repositories' || p.startsWith('/repositories/') ? 'api' : 'core';
}

/** What a Bitbucket Cloud response said about its budget; every field is absent when it did not say. */
export interface BitbucketCloudBudget {
  /** requests per rolling hour (`X-RateLimit-Limit`, sent to access tokens only) */
  limit?: number;
  /**
   * Never set: Bitbucket Cloud sends no remaining count, to anyone. Count your own requests over a
   * sliding hour; `nearLimit` is the only hint (access tokens only).
   */
  remaining?: number;
  /** never set: a rolling window has no reset time */
  resetAt?: number;
  /** after a 429: `Retry-After` when sent, else null-ish (absent): back off on your own count */
  retryAfterMs?: number;
  /** `X-RateLimit-NearLimit`: true when little of the hour's budget is left */
  nearLimit?: boolean;
  /** `X-RateLimit-Resource`, e.g. `api` */
  resource?: string;
}

/** Reads `X-RateLimit-Limit`, `-Resource`, `-NearLimit` (access tokens only) and, on a 429, `Retry-After` (seconds or an HTTP date). */
export function bitbucketCloudBudgetFrom(status: number, headers: HeaderBag, nowMs: number = Date.now()): BitbucketCloudBudget {
  const budget: BitbucketCloudBudget = {};
  const limit = number(headerOf(headers, 'x-ratelimit-limit'));
  if (limit !== undefined) budget.limit = limit;
  const resource = headerOf(headers, 'x-ratelimit-resource');
  if (resource) budget.resource = resource;
  const near = headerOf(headers, 'x-ratelimit-nearlimit');
  // Documented as true/false; some responses carry a number (a threshold): non-zero counts as near.
  if (near !== undefined && near.trim() !== '') budget.nearLimit = /^true$/i.test(near.trim()) || (number(near) ?? 0) > 0;
  if (status === 429) {
    const retryAfter = headerOf(headers, 'retry-after');
    const seconds = number(retryAfter);
    if (seconds !== undefined) budget.retryAfterMs = Math.max(0, seconds * 1000);
    else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) budget.retryAfterMs = Math.max(0, Date.parse(retryAfter) - nowMs);
  }
  return budget;
}

/** The budget a response reported, for a credential's identity (null without an `X-RateLimit-Limit`, i.e. for API tokens). */
export function bitbucketCloudRateLimitFrom(headers: HeaderBag): RateLimitSnapshot | null {
  const budget = bitbucketCloudBudgetFrom(200, headers);
  if (budget.limit === undefined) return null;
  return { limit: budget.limit, remaining: null, resetAt: null, resource: budget.resource ?? 'api' };
}
