import { RequestError } from '@octokit/request-error';
import { CredentialRejectedError, UpstreamNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError } from '@repovault/providers/core';

type HeaderRecord = Record<string, string | number | undefined>;

/** The provider-neutral error for a GitHub API status, or null when the status has no neutral meaning. */
export function githubErrorFor(status: number, headers: HeaderRecord, message: string, what: string): Error | null {
  if (status === 401) return new CredentialRejectedError();
  if (status === 404) return new UpstreamNotFoundError(what);
  if (status === 429 || (status === 403 && (String(headers['x-ratelimit-remaining']) === '0' || /rate limit/i.test(message)))) {
    const retryAfter = headers['retry-after'];
    return new UpstreamRateLimitedError(retryAfter ? Number(retryAfter) * 1000 : null);
  }
  if (status >= 500) return new UpstreamUnavailableError(`GitHub answered ${status}`);
  return null;
}

/** Maps an error thrown by an Octokit call to the provider-neutral errors; other statuses stay Octokit's RequestError. */
export function mapGitHubError(error: unknown, what: string): Error {
  if (!(error instanceof RequestError)) return new UpstreamUnavailableError(`GitHub could not be reached: ${(error as Error).message}`);
  return githubErrorFor(error.status, (error.response?.headers ?? {}) as HeaderRecord, error.message, what) ?? error;
}

/** Runs an Octokit call and maps its errors (see mapGitHubError). */
export async function callGitHub<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapGitHubError(error, what);
  }
}

/** GitHub answers 410 Gone when a repository's issues are disabled. */
export function isGitHubGone(error: unknown): boolean {
  return error instanceof RequestError && error.status === 410;
}
