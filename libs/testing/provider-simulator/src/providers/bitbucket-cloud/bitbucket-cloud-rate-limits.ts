import type { Clock } from '../../core/clock';
import { ALL_RESOURCES, type IdentityLedger } from '../../core/identity-stats';
import { SlidingWindowModel, type RateDecision } from '../../core/rate-models';
import type { BitbucketCloudViewer } from './bitbucket-cloud-auth';
import type { BitbucketCloudDirectory } from './bitbucket-cloud-directory';
import type { ResolvedBitbucketCloudOptions } from './bitbucket-cloud-options';

/** `api`: the `/2.0/repositories/*` group (Bitbucket's name for it); `core`: the rest of the REST API. */
export type BitbucketCloudResource = 'api' | 'core' | 'git' | 'lfs';

/**
 * Bitbucket Cloud's budgets: rolling one-hour windows per identity (never per token). Requests to
 * `/2.0/repositories/*` share one budget (scaled for access tokens in workspaces over 100 seats), git
 * and LFS another; the rest of the API is not limited here. Without credentials, one budget per IP
 * covers everything.
 */
export class BitbucketCloudRateLimits {
  private readonly windows = new Map<number, SlidingWindowModel>();
  private readonly windowMs: number;

  constructor(
    private readonly options: ResolvedBitbucketCloudOptions,
    private readonly clock: Clock,
    private readonly ledger: IdentityLedger,
    private readonly directory: BitbucketCloudDirectory,
  ) {
    this.windowMs = clock.durationMs(options.windowSeconds);
  }

  /** The limit that applies to this identity and resource; null when the resource is not limited. */
  limitFor(viewer: BitbucketCloudViewer, resource: BitbucketCloudResource): number | null {
    if (viewer.kind === 'anonymous') return this.options.anonymousLimit;
    if (resource === 'git' || resource === 'lfs') return this.options.gitLimit;
    if (resource === 'core') return null;
    if (viewer.kind === 'token' && viewer.credential.workspace) {
      const seats = this.directory.workspace(viewer.credential.workspace)?.seats ?? 0;
      const scaled = this.options.repositoriesLimit + Math.max(0, seats - 100) * this.options.perSeatAbove100;
      return Math.min(this.options.scaledLimitCap, Math.max(this.options.repositoriesLimit, scaled));
    }
    return this.options.repositoriesLimit;
  }

  /** Charges one request; null when the resource is not limited. A refusal tells the identity to wait (all resources for anonymous callers). */
  consume(viewer: BitbucketCloudViewer, resource: BitbucketCloudResource): RateDecision | null {
    const limit = this.limitFor(viewer, resource);
    if (limit === null) return null;
    const bucket = viewer.kind === 'anonymous' ? 'all' : resource === 'lfs' ? 'git' : resource;
    const decision = this.model(limit).consume(`${viewer.identity} ${bucket}`, this.clock.now());
    if (!decision.allowed) {
      const until = this.clock.now() + retryAfterSeconds(decision) * 1000;
      const scope = viewer.kind === 'anonymous' ? ALL_RESOURCES : resource;
      this.ledger.announceWait(viewer.identity, scope, until);
      if (resource === 'git') this.ledger.announceWait(viewer.identity, 'lfs', until);
      if (resource === 'lfs') this.ledger.announceWait(viewer.identity, 'git', until);
    }
    return decision;
  }

  reset(): void {
    for (const model of this.windows.values()) model.reset();
  }

  private model(limit: number): SlidingWindowModel {
    let model = this.windows.get(limit);
    if (!model) {
      model = new SlidingWindowModel({ limit, windowMs: this.windowMs });
      this.windows.set(limit, model);
    }
    return model;
  }
}

/** Whole seconds a refused caller must wait (at least 1), as sent in `Retry-After`. */
export function retryAfterSeconds(decision: RateDecision): number {
  return Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
}
