import type { Provider } from '@repovault/contracts/internal-api';
import { bitbucketCloudBudgetFrom } from '@repovault/providers/bitbucket-cloud';
import { bitbucketDcBudgetFrom } from '@repovault/providers/bitbucket-dc';
import { gitlabBudgetFrom } from '@repovault/providers/gitlab';

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
  /** which of the call's limits the numbers describe (GitLab reports the per-IP counter when it is the closer one) */
  scope?: 'identity' | 'ip';
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
const MINUTE = 60_000;

/** GitHub's secondary limits on writes (PROVIDERS.md): 900 points a minute, 5 per write; 80 creations a minute, 500 an hour. */
export const GITHUB_WRITE_LIMITS = { pointsPerMinute: 900, pointsPerWrite: 5, creationsPerMinute: 80, creationsPerHour: 500 } as const;

function github(concurrency: number, scale: (ms: number) => number): ProviderBudgetRules {
  const window = (name: string, windowMs: number, defaultLimit: number): LimitSpec => ({ scope: 'identity', name, model: 'window', windowMs: scale(windowMs), defaultLimit, refillPerMs: 0 });
  const core = window('core', HOUR, 0);
  const writes = window('write-points', MINUTE, Math.floor(GITHUB_WRITE_LIMITS.pointsPerMinute / GITHUB_WRITE_LIMITS.pointsPerWrite));
  const creations = [window('creations-minute', MINUTE, GITHUB_WRITE_LIMITS.creationsPerMinute), window('creations-hour', HOUR, GITHUB_WRITE_LIMITS.creationsPerHour)];
  return {
    limits: (resource) => {
      switch (resource) {
        case 'git': return [{ scope: 'identity', name: 'git', model: 'unmetered', windowMs: 0, defaultLimit: 0, refillPerMs: 0 }];
        // a write is a core request (primary limit, learnt from headers) that also spends 5 write points
        case 'core-write': return [core, writes];
        // creating content (POST) also counts against the content-creation limits
        case 'core-create': return [core, writes, ...creations];
        default: return [window(resource, HOUR, 0)];
      }
    },
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


/**
 * GitLab: a per-user throttle per minute (learnt from RateLimit-*), the per-IP aggregate every
 * caller here shares, and per-endpoint limits that send no headers.
 */
function gitlab(settings: BudgetSettings, scale: (ms: number) => number): ProviderBudgetRules {
  const api: LimitSpec = { scope: 'identity', name: 'api', model: 'window', windowMs: scale(MINUTE), defaultLimit: 0, refillPerMs: 0 };
  const ip: LimitSpec = { scope: 'ip', name: 'api', model: 'window', windowMs: scale(MINUTE), defaultLimit: settings.gitlabIpLimitPerMinute, refillPerMs: 0 };
  const endpoint = (name: string, limit: number, periodMs: number): LimitSpec => ({ scope: 'identity', name, model: 'window', windowMs: scale(periodMs), defaultLimit: limit, refillPerMs: 0 });
  return {
    limits: (resource) => {
      switch (resource) {
        case 'git': return [{ scope: 'identity', name: 'git', model: 'window', windowMs: scale(MINUTE), defaultLimit: 10_000, refillPerMs: 0 }];
        case 'groups-projects': return [api, endpoint('groups-projects', 600, MINUTE), ip];
        case 'projects-list': return [api, endpoint('projects-list', 2_000, 10 * MINUTE), ip];
        case 'groups': return [api, endpoint('groups', 50, MINUTE), ip];
        default: return [api, ip];
      }
    },
    concurrency: settings.gitlabConcurrency,
    parse(status, headers) {
      const budget = gitlabBudgetFrom(status, headers);
      return { ...budget, scope: /ip/i.test(budget.name ?? '') ? 'ip' : 'identity' };
    },
  };
}

/** Bitbucket Cloud: a rolling hour per identity on /2.0/repositories/*, no remaining header. */
function bitbucketCloud(settings: BudgetSettings, scale: (ms: number) => number): ProviderBudgetRules {
  return {
    limits: (resource) => {
      if (resource === 'git') return [{ scope: 'identity', name: 'git', model: 'sliding', windowMs: scale(HOUR), defaultLimit: 60_000, refillPerMs: 0 }];
      // users' API tokens get no limit header: the configured one counts; access tokens send theirs
      if (resource === 'api') return [{ scope: 'identity', name: 'api', model: 'sliding', windowMs: scale(HOUR), defaultLimit: settings.bitbucketCloudLimitPerHour, refillPerMs: 0 }];
      return [{ scope: 'identity', name: 'core', model: 'unmetered', windowMs: 0, defaultLimit: 0, refillPerMs: 0 }];
    },
    concurrency: settings.bitbucketConcurrency,
    parse(status, headers) {
      const budget = bitbucketCloudBudgetFrom(status, headers);
      return { limit: budget.limit, retryAfterMs: budget.retryAfterMs };
    },
  };
}

/** Bitbucket Data Center: one token bucket per user per node, shared by REST and git. */
function bitbucketDc(settings: BudgetSettings, scale: (ms: number) => number): ProviderBudgetRules {
  const bucket: LimitSpec = { scope: 'identity', name: 'bucket', model: 'bucket', windowMs: 0, defaultLimit: 60, refillPerMs: 5 / scale(1_000) };
  return {
    limits: () => [bucket],
    concurrency: settings.bitbucketConcurrency,
    parse(status, headers) {
      const budget = bitbucketDcBudgetFrom(status, headers);
      return { limit: budget.limit, remaining: budget.remaining, retryAfterMs: budget.retryAfterMs, refillPerMs: budget.refillPerMs };
    },
  };
}

export interface BudgetSettings {
  githubConcurrency: number;
  gitlabConcurrency: number;
  bitbucketConcurrency: number;
  /** GitLab's per-IP aggregate, per minute (gitlab.com: 2,000) */
  gitlabIpLimitPerMinute: number;
  /** Bitbucket Cloud's `/2.0/repositories/*` limit per rolling hour for identities that send no limit header (1,000) */
  bitbucketCloudLimitPerHour: number;
  /** divides providers' window lengths (and multiplies refill rates): simulators and labs only */
  rateWindowScale: number;
}

export const DEFAULT_BUDGET_SETTINGS: BudgetSettings = {
  githubConcurrency: 50, gitlabConcurrency: 50, bitbucketConcurrency: 20, gitlabIpLimitPerMinute: 2_000, bitbucketCloudLimitPerHour: 1_000, rateWindowScale: 1,
};

/** Budget rules per provider. */
export function budgetRules(provider: Provider, settings: BudgetSettings = DEFAULT_BUDGET_SETTINGS): ProviderBudgetRules {
  const scale = (ms: number) => Math.max(1, Math.round(ms / settings.rateWindowScale));
  switch (provider) {
    case 'github': return github(settings.githubConcurrency, scale);
    case 'gitlab': return gitlab(settings, scale);
    case 'bitbucket-cloud': return bitbucketCloud(settings, scale);
    case 'bitbucket-dc': return bitbucketDc(settings, scale);
  }
}
