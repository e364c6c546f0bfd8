/** Bitbucket Cloud limits, configurable because Atlassian changes them and tests want small numbers. */
export interface BitbucketCloudSimulatorOptions {
  /** Requests to `/2.0/repositories/*` per identity per rolling window. Default 1000. */
  repositoriesLimit?: number;
  /** Cap of the scaled limit access tokens get in workspaces over 100 seats. Default 10000. */
  scaledLimitCap?: number;
  /** Extra requests per hour per seat above 100 (access tokens only). Default 10. */
  perSeatAbove100?: number;
  /** Git requests (smart HTTP and LFS batch) per identity per rolling window. Default 60000. */
  gitLimit?: number;
  /** Requests per IP per rolling window without credentials, across the whole API. Default 60. */
  anonymousLimit?: number;
  /** Length of the rolling window in simulated seconds. Default 3600. */
  windowSeconds?: number;
  /** `X-RateLimit-NearLimit` turns true when less than this share of the limit is left. Default 0.2. */
  nearLimitFraction?: number;
  /** Lifetime of LFS action hrefs and download redirects, in simulated seconds. Default 3600. */
  lfsActionExpiresSeconds?: number;
}

export type ResolvedBitbucketCloudOptions = Required<BitbucketCloudSimulatorOptions>;

export function resolveBitbucketCloudOptions(options: BitbucketCloudSimulatorOptions = {}): ResolvedBitbucketCloudOptions {
  const resolved: ResolvedBitbucketCloudOptions = {
    repositoriesLimit: options.repositoriesLimit ?? 1000,
    scaledLimitCap: options.scaledLimitCap ?? 10_000,
    perSeatAbove100: options.perSeatAbove100 ?? 10,
    gitLimit: options.gitLimit ?? 60_000,
    anonymousLimit: options.anonymousLimit ?? 60,
    windowSeconds: options.windowSeconds ?? 3600,
    nearLimitFraction: options.nearLimitFraction ?? 0.2,
    lfsActionExpiresSeconds: options.lfsActionExpiresSeconds ?? 3600,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value < 0 || (value === 0 && key !== 'perSeatAbove100' && key !== 'nearLimitFraction')) {
      throw new Error(`bitbucketCloud.${key} must be a positive number, got ${String(value)}`);
    }
  }
  return resolved;
}
