import type { Provider } from '@repovault/contracts/internal-api';

/**
 * How a provider's budget for one resource behaves. `window`: a limit per window with a reset time
 * (learnt from headers when `defaultLimit` is 0) — GitHub, GitLab per minute; `sliding`: a rolling
 * window with no remaining count (Bitbucket Cloud); `bucket`: a token bucket (Bitbucket DC);
 * `unmetered`: no request budget, only the concurrency cap (GitHub git traffic).
 */
export type BudgetModelKind = 'window' | 'sliding' | 'bucket' | 'unmetered';

/** One limit a call must fit in: the identity's own, or one shared by every identity (per IP). */
export interface LimitSpec {
  scope: 'identity' | 'ip';
  /** budget name, e.g. core, git, groups-projects */
  name: string;
  model: BudgetModelKind;
  windowMs: number;
  defaultLimit: number;
  refillPerMs: number;
}

export interface BudgetHeaders {
  limit?: number;
  remaining?: number;
  /** epoch ms */
  resetAt?: number;
  retryAfterMs?: number;
  /** token bucket refill rate, tokens per ms */
  refillPerMs?: number;
}

export interface ProviderBudgetRules {
  /** the limits a call on `resource` must fit in, the identity's own first */
  limits(resource: string): LimitSpec[];
  /** concurrent requests per identity (GitHub's secondary limit is 100) */
  concurrency: number;
  parse(status: number, headers: Record<string, string>): BudgetHeaders;
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

const HOUR = 3_600_000;

function github(concurrency: number): ProviderBudgetRules {
  return {
    limits: (resource) =>
      resource === 'git'
        ? [{ scope: 'identity', name: 'git', model: 'unmetered', windowMs: 0, defaultLimit: 0, refillPerMs: 0 }]
        : [{ scope: 'identity', name: resource, model: 'window', windowMs: HOUR, defaultLimit: 0, refillPerMs: 0 }],
    concurrency,
    parse(_status, headers) {
      const reset = num(headers['x-ratelimit-reset']);
      const retryAfter = num(headers['retry-after']);
      return {
        limit: num(headers['x-ratelimit-limit']),
        remaining: num(headers['x-ratelimit-remaining']),
        resetAt: reset === undefined ? undefined : reset * 1000,
        retryAfterMs: retryAfter === undefined ? undefined : retryAfter * 1000,
      };
    },
  };
}

export interface BudgetSettings {
  githubConcurrency: number;
}

/** Budget rules per provider (others join with their adapters). */
export function budgetRules(provider: Provider, settings: BudgetSettings): ProviderBudgetRules {
  if (provider === 'github') return github(settings.githubConcurrency);
  throw new Error(`no budget rules for ${provider}`);
}
