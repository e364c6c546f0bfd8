import type { RateLimitSnapshot } from '@repovault/providers/core';

type HeaderBag = Record<string, string | number | undefined> | Headers;

function isHeaders(headers: HeaderBag): headers is Headers {
  // duck-typed: undici's Headers (the transport's) is another class than the global one
  return typeof (headers as Partial<Headers>).get === 'function';
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (isHeaders(headers)) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower && value !== undefined) return String(value);
  return undefined;
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** What a GitLab response said about its budget. Every field is absent when the response did not say. */
export interface GitLabBudget {
  /** requests per minute (`RateLimit-Limit`) */
  limit?: number;
  remaining?: number;
  /** epoch milliseconds (`RateLimit-Reset`, epoch seconds) */
  resetAt?: number;
  /** how long to wait after a 429: `Retry-After`, else until `RateLimit-Reset` */
  retryAfterMs?: number;
  /** the throttle that answered (`RateLimit-Name`), e.g. `throttle_authenticated_api` */
  name?: string;
  observed?: number;
}

/**
 * Reads GitLab's rate-limit headers: `RateLimit-Limit`, `-Remaining`, `-Observed`, `-Reset`,
 * `-Name` on throttled and unthrottled responses, `Retry-After` (seconds or an HTTP date) and
 * `RateLimit-ResetTime` on 429s. A 429 from an endpoint's own limit (`/groups/:id/projects`,
 * `/projects`, `/groups`) carries none of them: then only the status says to back off.
 */
export function gitlabBudgetFrom(status: number, headers: HeaderBag, nowMs: number = Date.now()): GitLabBudget {
  const budget: GitLabBudget = {};
  const limit = number(header(headers, 'ratelimit-limit'));
  const remaining = number(header(headers, 'ratelimit-remaining'));
  const observed = number(header(headers, 'ratelimit-observed'));
  const reset = number(header(headers, 'ratelimit-reset'));
  const name = header(headers, 'ratelimit-name');
  if (limit !== undefined) budget.limit = limit;
  if (remaining !== undefined) budget.remaining = remaining;
  if (observed !== undefined) budget.observed = observed;
  if (name) budget.name = name;
  const resetTime = header(headers, 'ratelimit-resettime');
  if (reset !== undefined) budget.resetAt = reset * 1000;
  else if (resetTime && !Number.isNaN(Date.parse(resetTime))) budget.resetAt = Date.parse(resetTime);
  if (status === 429) {
    const retryAfter = header(headers, 'retry-after');
    const seconds = number(retryAfter);
    if (seconds !== undefined) budget.retryAfterMs = Math.max(0, seconds * 1000);
    else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) budget.retryAfterMs = Math.max(0, Date.parse(retryAfter) - nowMs);
    else if (budget.resetAt !== undefined) budget.retryAfterMs = Math.max(0, budget.resetAt - nowMs);
  }
  return budget;
}

/** The per-user API budget a response reported, for a credential's identity. */
export function gitlabRateLimitFrom(headers: HeaderBag): RateLimitSnapshot | null {
  const budget = gitlabBudgetFrom(200, headers);
  if (budget.limit === undefined) return null;
  return {
    limit: budget.limit,
    remaining: budget.remaining ?? null,
    resetAt: budget.resetAt === undefined ? null : new Date(budget.resetAt).toISOString(),
    resource: 'api',
  };
}

/**
 * GitLab budgets: `api` (authenticated API, per user per minute; the per-IP limit rides on it),
 * the application limits of three endpoints that send no headers, and `git` (git over HTTPS and
 * LFS, per user per minute).
 */
export type GitLabResource = 'api' | 'groups-projects' | 'projects-list' | 'groups' | 'git';

/** GitLab.com's documented figures for the header-less limits: pace on these, since no response tells. */
export const GITLAB_ENDPOINT_LIMITS: Readonly<Record<'groups-projects' | 'projects-list' | 'groups', { limit: number; periodSeconds: number }>> = {
  'groups-projects': { limit: 600, periodSeconds: 60 },
  'projects-list': { limit: 2000, periodSeconds: 600 },
  groups: { limit: 50, periodSeconds: 60 },
};

function apiPath(path: string): string {
  const pathname = path.split('?')[0] ?? '';
  const at = pathname.indexOf('/api/v4/');
  return at >= 0 ? pathname.slice(at + '/api/v4'.length) : pathname;
}

/**
 * Which budget a request path draws from, the most specific one: `/groups/:id/projects` →
 * `groups-projects`, `/projects` → `projects-list`, `/groups` → `groups`, git and LFS (`….git/…`)
 * → `git`, everything else → `api`. The three endpoint budgets come on top of `api` (see
 * `gitlabResourcesOf`).
 */
export function gitlabResourceOf(path: string): GitLabResource {
  const pathname = path.split('?')[0] ?? '';
  if (/\.git\//.test(pathname)) return 'git';
  const p = apiPath(pathname).replace(/\/+$/, '');
  if (/^\/groups\/[^/]+\/projects$/.test(p)) return 'groups-projects';
  if (p === '/projects') return 'projects-list';
  if (p === '/groups') return 'groups';
  return 'api';
}

/** Every budget a request draws from: the endpoint's own limit and the per-user API throttle. */
export function gitlabResourcesOf(path: string): GitLabResource[] {
  const resource = gitlabResourceOf(path);
  return resource === 'api' || resource === 'git' ? [resource] : [resource, 'api'];
}
