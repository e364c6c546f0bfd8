/** Bitbucket Data Center's rate limiting (an admin setting, on here), configurable for tests. */
export interface BitbucketDcSimulatorOptions {
  /** Tokens in each user's bucket. Default 60. */
  capacity?: number;
  /** Tokens added per simulated second. Default 5. */
  refillPerSecond?: number;
  /** Lifetime of LFS action hrefs, in simulated seconds. Default 3600. */
  lfsActionExpiresSeconds?: number;
}

export type ResolvedBitbucketDcOptions = Required<BitbucketDcSimulatorOptions>;

export function resolveBitbucketDcOptions(options: BitbucketDcSimulatorOptions = {}): ResolvedBitbucketDcOptions {
  const resolved: ResolvedBitbucketDcOptions = {
    capacity: options.capacity ?? 60,
    refillPerSecond: options.refillPerSecond ?? 5,
    lfsActionExpiresSeconds: options.lfsActionExpiresSeconds ?? 3600,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (!Number.isFinite(value) || value <= 0) throw new Error(`bitbucketDc.${key} must be a positive number, got ${String(value)}`);
  }
  return resolved;
}
