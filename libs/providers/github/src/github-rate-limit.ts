import type { RateLimitSnapshot } from '@repovault/providers/core';

type HeaderBag = Record<string, string | number | undefined> | Headers;

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}

/** The primary budget GitHub reported in a response's x-ratelimit-* headers. */
export function githubRateLimitFrom(headers: HeaderBag): RateLimitSnapshot | null {
  const limit = header(headers, 'x-ratelimit-limit');
  if (limit === undefined) return null;
  const remaining = header(headers, 'x-ratelimit-remaining');
  const reset = header(headers, 'x-ratelimit-reset');
  return {
    limit: Number(limit),
    remaining: remaining === undefined ? null : Number(remaining),
    resetAt: reset === undefined ? null : new Date(Number(reset) * 1000).toISOString(),
    resource: header(headers, 'x-ratelimit-resource') ?? 'core',
  };
}

/**
 * Which GitHub budget a REST request draws from. Writes are `core` requests too, but also count
 * against the secondary limits: 5 points each of an endpoint's 900 a minute, and creating content
 * (POST) against the content-creation limits (see the budgets lib).
 */
export function githubResourceOf(path: string, method = 'GET'): 'core' | 'core-write' | 'core-create' | 'search' | 'graphql' {
  const p = path.replace(/^\/api\/v3/, '');
  if (p.startsWith('/search/')) return 'search';
  if (p.startsWith('/graphql')) return 'graphql';
  const verb = method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD' || verb === 'OPTIONS') return 'core';
  return verb === 'POST' ? 'core-create' : 'core-write';
}
