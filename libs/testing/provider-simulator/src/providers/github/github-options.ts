/** GitHub limits, all configurable because GitHub changes them and tests want small numbers. */
export interface GithubSimulatorOptions {
  /** Primary `core` budget per identity per window. Default 5000. */
  coreLimit?: number;
  /** `search` budget per identity per minute. Default 30. */
  searchLimit?: number;
  /** `graphql` points per identity per window. Default 5000. */
  graphqlLimit?: number;
  /** Length of the primary window in simulated seconds. Default 3600. */
  windowSeconds?: number;
  /** Budget per IP for unauthenticated calls per window. Default 60. */
  anonymousLimit?: number;
  /** Requests of one identity in flight at once before the secondary limit trips. Default 100. */
  concurrencyLimit?: number;
  /** Status of primary-limit refusals. Default 403. */
  refusalStatus?: 403 | 429;
  /** `retry-after` of a secondary-limit refusal, in simulated seconds (at least 1 real second). Default 60. */
  secondaryRetryAfterSeconds?: number;
  /** Points per minute per REST endpoint (GET 1, writes 5); null or absent: not enforced. GitHub: 900. */
  pointsPerMinutePerEndpoint?: number | null;
  /** Lifetime of LFS action hrefs, in simulated seconds. Default 3600. */
  lfsActionExpiresSeconds?: number;
  /** Content-creating requests (issues, comments, repositories, releases…) per identity per minute. Default 80, as on GitHub. */
  contentCreationPerMinute?: number;
  /** Content-creating requests per identity per hour. Default 500, as on GitHub. */
  contentCreationPerHour?: number;
}

export type ResolvedGithubOptions = Required<Omit<GithubSimulatorOptions, 'pointsPerMinutePerEndpoint'>> & {
  pointsPerMinutePerEndpoint: number | null;
};

export function resolveGithubOptions(options: GithubSimulatorOptions = {}): ResolvedGithubOptions {
  const resolved: ResolvedGithubOptions = {
    coreLimit: options.coreLimit ?? 5000,
    searchLimit: options.searchLimit ?? 30,
    graphqlLimit: options.graphqlLimit ?? 5000,
    windowSeconds: options.windowSeconds ?? 3600,
    anonymousLimit: options.anonymousLimit ?? 60,
    concurrencyLimit: options.concurrencyLimit ?? 100,
    refusalStatus: options.refusalStatus ?? 403,
    secondaryRetryAfterSeconds: options.secondaryRetryAfterSeconds ?? 60,
    pointsPerMinutePerEndpoint: options.pointsPerMinutePerEndpoint ?? null,
    lfsActionExpiresSeconds: options.lfsActionExpiresSeconds ?? 3600,
    contentCreationPerMinute: options.contentCreationPerMinute ?? 80,
    contentCreationPerHour: options.contentCreationPerHour ?? 500,
  };
  for (const [key, value] of Object.entries(resolved)) {
    if (value !== null && (!Number.isFinite(value) || value <= 0)) throw new Error(`github.${key} must be a positive number, got ${String(value)}`);
  }
  if (resolved.refusalStatus !== 403 && resolved.refusalStatus !== 429) throw new Error('github.refusalStatus must be 403 or 429');
  return resolved;
}
