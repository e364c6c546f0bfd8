import type { Clock } from '../../core/clock';
import { ALL_RESOURCES, type IdentityLedger } from '../../core/identity-stats';
import { FixedWindowModel, SlidingWindowModel, type RateDecision } from '../../core/rate-models';
import type { GithubViewer } from './github-auth';
import type { ResolvedGithubOptions } from './github-options';

export type GithubResource = 'core' | 'search' | 'graphql';

export type SecondaryVerdict =
  | { refused: false }
  | { refused: true; reason: 'concurrency' | 'retry-after' | 'points' | 'content-creation'; retryAfterSeconds: number };

/**
 * GitHub's limits for one simulator: the primary budget per identity and resource (a fixed window
 * that opens on first use) and the secondary limits (concurrency, points per endpoint, and the
 * retry-after penalty that follows them).
 */
export class GithubRateLimits {
  private readonly userModels: Record<GithubResource, FixedWindowModel>;
  private readonly anonymousModels: Record<GithubResource, FixedWindowModel>;
  private readonly points: SlidingWindowModel | null;
  /** GitHub's content-creation limits: 80 a minute and 500 an hour per identity by default. */
  private readonly creationsPerMinute: SlidingWindowModel;
  private readonly creationsPerHour: SlidingWindowModel;
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly options: ResolvedGithubOptions,
    private readonly clock: Clock,
    private readonly ledger: IdentityLedger,
  ) {
    const window = clock.durationMs(options.windowSeconds);
    const minute = clock.durationMs(60);
    this.userModels = {
      core: new FixedWindowModel({ limit: options.coreLimit, windowMs: window }),
      search: new FixedWindowModel({ limit: options.searchLimit, windowMs: minute }),
      graphql: new FixedWindowModel({ limit: options.graphqlLimit, windowMs: window }),
    };
    this.anonymousModels = {
      core: new FixedWindowModel({ limit: options.anonymousLimit, windowMs: window }),
      search: new FixedWindowModel({ limit: Math.min(10, options.searchLimit), windowMs: minute }),
      graphql: new FixedWindowModel({ limit: options.graphqlLimit, windowMs: window }),
    };
    this.points = options.pointsPerMinutePerEndpoint === null ? null : new SlidingWindowModel({ limit: options.pointsPerMinutePerEndpoint, windowMs: minute });
    this.creationsPerMinute = new SlidingWindowModel({ limit: options.contentCreationPerMinute, windowMs: minute });
    this.creationsPerHour = new SlidingWindowModel({ limit: options.contentCreationPerHour, windowMs: clock.durationMs(3600) });
  }

  consumePrimary(viewer: GithubViewer, resource: GithubResource): RateDecision {
    return this.model(viewer, resource).consume(viewer.identity, this.clock.now());
  }

  peekPrimary(viewer: GithubViewer, resource: GithubResource): RateDecision {
    return this.model(viewer, resource).peek(viewer.identity, this.clock.now());
  }

  /** An authorised 304 is free: give back what the request was charged, and report the new state. */
  refundPrimary(viewer: GithubViewer, resource: GithubResource): RateDecision {
    const model = this.model(viewer, resource);
    model.refund(viewer.identity, this.clock.now());
    const decision = model.peek(viewer.identity, this.clock.now());
    return { ...decision, allowed: true, remaining: Math.max(0, decision.limit - decision.used) };
  }

  /**
   * Secondary limits, checked before any budget is spent: a penalty still running, too many requests
   * in flight (the ledger counts this one already), too many points on one endpoint (writes cost 5),
   * or too much content created in the last minute or hour.
   */
  checkSecondary(identity: string, endpoint: string, method: string, countPoints = true, createsContent = false): SecondaryVerdict {
    const now = this.clock.now();
    const blocked = this.blockedUntil.get(identity) ?? 0;
    if (now < blocked) return { refused: true, reason: 'retry-after', retryAfterSeconds: Math.max(1, Math.ceil((blocked - now) / 1000)) };
    if (this.ledger.inFlight(identity) > this.options.concurrencyLimit) return this.penalise(identity, 'concurrency');
    if (this.points && countPoints) {
      const cost = method === 'GET' || method === 'HEAD' ? 1 : 5;
      if (!this.points.consume(`${identity} ${method} ${endpoint}`, now, { cost }).allowed) return this.penalise(identity, 'points');
    }
    if (createsContent) {
      if (!this.creationsPerMinute.peek(identity, now).allowed || !this.creationsPerHour.peek(identity, now).allowed) return this.penalise(identity, 'content-creation');
      this.creationsPerMinute.consume(identity, now);
      this.creationsPerHour.consume(identity, now);
    }
    return { refused: false };
  }

  reset(): void {
    for (const model of [...Object.values(this.userModels), ...Object.values(this.anonymousModels)]) model.reset();
    this.points?.reset();
    this.creationsPerMinute.reset();
    this.creationsPerHour.reset();
    this.blockedUntil.clear();
  }

  private penalise(identity: string, reason: 'concurrency' | 'points' | 'content-creation'): SecondaryVerdict {
    const retryAfterSeconds = Math.max(1, Math.ceil(this.clock.durationMs(this.options.secondaryRetryAfterSeconds) / 1000));
    const until = this.clock.now() + retryAfterSeconds * 1000;
    this.blockedUntil.set(identity, until);
    this.ledger.announceWait(identity, ALL_RESOURCES, until);
    return { refused: true, reason, retryAfterSeconds };
  }

  /**
   * Called with the rate state a response actually carried: once it said remaining 0, any request for
   * that resource before the reset is a violation.
   */
  announced(viewer: GithubViewer, resource: GithubResource, decision: RateDecision): void {
    if (decision.remaining === 0) this.ledger.announceWait(viewer.identity, resource, decision.resetAtMs);
  }

  private model(viewer: GithubViewer, resource: GithubResource): FixedWindowModel {
    return (viewer.kind === 'user' ? this.userModels : this.anonymousModels)[resource];
  }
}
