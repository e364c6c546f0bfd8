import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import type { AdapterTarget } from '@repovault/providers/core';

export const PagingOctokit = Octokit.plugin(paginateRest);
export type PagingOctokit = InstanceType<typeof PagingOctokit>;

export const GITHUB_USER_AGENT = 'repovault';

/** Octokit whose every request goes through the target's fetch (auth, egress rules, claims); no retries, no logs. */
export function createGitHubOctokit(target: AdapterTarget): PagingOctokit {
  return new PagingOctokit({
    baseUrl: target.apiBaseUrl.replace(/\/$/, ''),
    userAgent: GITHUB_USER_AGENT,
    request: { fetch: target.fetch, retries: 0 },
    log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
  });
}
