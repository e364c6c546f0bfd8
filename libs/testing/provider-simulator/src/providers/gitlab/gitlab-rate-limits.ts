import type { Clock } from '../../core/clock';
import type { HeaderMap } from '../../core/http-io';
import type { IdentityLedger } from '../../core/identity-stats';
import { PerMinuteWindowModel, type PerMinuteDecision, type RateDecision } from '../../core/rate-models';
import type { GitlabViewer } from './gitlab-access';
import { gitlabIpIdentity } from './gitlab-model';
import type { ResolvedGitlabOptions } from './gitlab-options';

/** Application limits of single endpoints: they answer 429 without any rate-limit header. */
export type GitlabEndpointBudget = 'groups-projects' | 'projects-list' | 'groups';

/** `RateLimit-Name` values. GitLab names its Rack::Attack throttles like this; the per-IP one is GitLab.com's edge limit. */
export const THROTTLE_NAMES = {
  user: 'throttle_authenticated_api',
  anonymous: 'throttle_unauthenticated_api',
  ip: 'throttle_ip_all_traffic',
  git: 'throttle_authenticated_git_http',
} as const;

export interface ThrottleVerdict {
  allowed: boolean;
  decision: RateDecision;
  /** `RateLimit-Name` of the counter the headers describe (the one that refused, or the one closest to its limit). */
  name: string;
  /** Which counter: the caller's own or the one the whole IP address shares. */
  scope: 'identity' | 'ip';
}

/**
 * GitLab.com's throttles for one simulator: per-minute windows aligned to the (scaled) minute, as
 * Rack::Attack keeps them. API calls count for the user and for the IP address they come from
 * (`PerMinuteWindowModel`'s aggregate key); git has its own per-user budget; three endpoints have
 * extra application limits that send no headers.
 */
export class GitlabRateLimits {
  private readonly api: PerMinuteWindowModel;
  private readonly unauthenticated: PerMinuteWindowModel;
  private readonly git: PerMinuteWindowModel;
  private readonly endpoints: Record<GitlabEndpointBudget, PerMinuteWindowModel>;

  constructor(
    options: ResolvedGitlabOptions,
    private readonly clock: Clock,
    private readonly ledger: IdentityLedger,
  ) {
    const minute = clock.durationMs(60);
    this.api = new PerMinuteWindowModel({ limit: options.authenticatedApiLimit, aggregateLimit: options.ipLimit, periodMs: minute });
    this.unauthenticated = new PerMinuteWindowModel({ limit: options.unauthenticatedApiLimit, periodMs: minute });
    this.git = new PerMinuteWindowModel({ limit: options.gitLimit, periodMs: minute });
    this.endpoints = {
      'groups-projects': new PerMinuteWindowModel({ limit: options.groupProjectsLimit, periodMs: minute }),
      'projects-list': new PerMinuteWindowModel({ limit: options.projectsListLimit, periodMs: clock.durationMs(options.projectsListPeriodSeconds) }),
      groups: new PerMinuteWindowModel({ limit: options.groupsListLimit, periodMs: minute }),
    };
  }

  /** Charges an API request to its user (or, anonymous, to the IP's unauthenticated budget) and to its IP address. */
  consumeApi(viewer: GitlabViewer, ip: string): ThrottleVerdict {
    const now = this.clock.now();
    if (viewer.kind === 'user') {
      const decision = this.api.consume(viewer.identity, now, { aggregateKey: ip });
      return this.verdict(decision, THROTTLE_NAMES.user);
    }
    const own = this.unauthenticated.peek(ip, now);
    if (!own.allowed) return { allowed: false, decision: own, name: THROTTLE_NAMES.anonymous, scope: 'identity' };
    const shared = this.api.consume(`anonymous:${ip}`, now, { aggregateKey: ip });
    if (!shared.allowed) return this.verdict(shared, THROTTLE_NAMES.anonymous);
    const charged = this.unauthenticated.consume(ip, now);
    return shared.limitedBy === 'aggregate' && shared.remaining < charged.remaining
      ? { allowed: true, decision: shared, name: THROTTLE_NAMES.ip, scope: 'ip' }
      : { allowed: true, decision: charged, name: THROTTLE_NAMES.anonymous, scope: 'identity' };
  }

  consumeGit(identity: string): ThrottleVerdict {
    const decision = this.git.consume(identity, this.clock.now());
    return { allowed: decision.allowed, decision, name: THROTTLE_NAMES.git, scope: 'identity' };
  }

  /** The extra limit of an endpoint, per identity; refusals carry no headers, so nobody is told to wait. */
  consumeEndpoint(budget: GitlabEndpointBudget, identity: string): RateDecision {
    return this.endpoints[budget].consume(identity, this.clock.now());
  }

  /**
   * Records what a response told its receiver: a refusal binds until the window ends (the
   * identity's resource, and the IP's when the IP's counter refused); `RateLimit-Remaining: 0` binds
   * the counter it described until its reset.
   */
  announce(identity: string, ip: string, resource: 'api' | 'git', verdict: ThrottleVerdict): void {
    const { decision } = verdict;
    if (verdict.allowed && decision.remaining > 0) return;
    const until = decision.resetAtMs;
    if (!verdict.allowed || verdict.scope === 'identity') this.ledger.announceWait(identity, resource, until);
    if (resource === 'api' && verdict.scope === 'ip') this.ledger.announceWait(gitlabIpIdentity(ip), resource, until);
  }

  reset(): void {
    for (const model of [this.api, this.unauthenticated, this.git, ...Object.values(this.endpoints)]) model.reset();
  }

  private verdict(decision: PerMinuteDecision, ownName: string): ThrottleVerdict {
    const scope = decision.limitedBy === 'aggregate' ? 'ip' : 'identity';
    return { allowed: decision.allowed, decision, name: scope === 'ip' ? THROTTLE_NAMES.ip : ownName, scope };
  }
}

/** The headers GitLab sends with every throttled-or-not API response. */
export function rateLimitHeaders(verdict: ThrottleVerdict): HeaderMap {
  const { decision } = verdict;
  // Rack::Attack counts the refused request as well.
  const observed = verdict.allowed ? decision.used : decision.used + 1;
  return {
    'ratelimit-name': verdict.name,
    'ratelimit-limit': decision.limit,
    'ratelimit-observed': observed,
    'ratelimit-remaining': Math.max(0, decision.limit - observed),
    'ratelimit-reset': Math.ceil(decision.resetAtMs / 1000),
  };
}

/** A throttle's 429: the headers above plus when to come back. */
export function refusalHeaders(verdict: ThrottleVerdict): HeaderMap {
  const resetSeconds = Math.ceil(verdict.decision.resetAtMs / 1000);
  return {
    ...rateLimitHeaders(verdict),
    'ratelimit-resettime': new Date(resetSeconds * 1000).toUTCString(),
    'retry-after': Math.max(1, Math.ceil(verdict.decision.retryAfterMs / 1000)),
  };
}
