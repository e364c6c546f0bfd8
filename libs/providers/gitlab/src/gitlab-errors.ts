import { GitbeakerRequestError } from '@gitbeaker/rest';
import { CredentialRejectedError, UpstreamNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError } from '@repovault/providers/core';
import { gitlabBudgetFrom } from './gitlab-rate-limit';

/** GitLab refused the call because the token lacks a scope (403 `insufficient_scope`). */
export class GitLabInsufficientScopeError extends Error {
  constructor(
    readonly what: string,
    /** scopes GitLab said would do, e.g. `['api', 'read_api']` */
    readonly acceptedScopes: string[],
  ) {
    super(`the GitLab token may not read ${what}: it needs one of the scopes ${acceptedScopes.join(', ') || '(unknown)'}`);
    this.name = 'GitLabInsufficientScopeError';
  }
}

/** GitLab answered 403 for another reason (the identity lacks access to that part of the resource). */
export class GitLabForbiddenError extends Error {
  constructor(readonly what: string) {
    super(`GitLab refused access to ${what} (403)`);
    this.name = 'GitLabForbiddenError';
  }
}

/** The status, headers and (already read) description of a failed GitLab response. */
export interface GitLabFailure {
  status: number;
  headers: Headers;
  description: string;
}

export function gitlabFailureOf(error: unknown): GitLabFailure | null {
  if (!(error instanceof GitbeakerRequestError) || !error.cause?.response) return null;
  return { status: error.cause.response.status, headers: error.cause.response.headers, description: error.cause.description };
}

/** The provider-neutral error for a GitLab API status, or null when the status has no neutral meaning. */
export function gitlabErrorFor(failure: GitLabFailure, what: string): Error | null {
  const { status, headers, description } = failure;
  if (status === 401) {
    const reason = /expired/i.test(description) ? ' (GitLab says it has expired)' : /revoked/i.test(description) ? ' (GitLab says it was revoked)' : '';
    return new CredentialRejectedError(`GitLab rejected the token${reason}: it is revoked, expired or mistyped`);
  }
  if (status === 403) {
    if (description.startsWith('insufficient_scope')) {
      const scope = /scope="([^"]*)"/.exec(headers.get('www-authenticate') ?? '')?.[1] ?? '';
      return new GitLabInsufficientScopeError(what, scope.split(/\s+/).filter(Boolean));
    }
    return new GitLabForbiddenError(what);
  }
  if (status === 404) return new UpstreamNotFoundError(what);
  if (status === 429) {
    const budget = gitlabBudgetFrom(status, headers);
    return new UpstreamRateLimitedError(budget.retryAfterMs ?? null, `GitLab rate-limited the request for ${what}${budget.name ? ` (${budget.name})` : ' (an endpoint limit, no Retry-After)'}`);
  }
  if (status >= 500) return new UpstreamUnavailableError(`GitLab answered ${status} for ${what}`);
  return null;
}

/** Maps an error of a gitbeaker call to the provider-neutral errors; other statuses stay gitbeaker's. */
export function mapGitLabError(error: unknown, what: string): Error {
  const failure = gitlabFailureOf(error);
  if (failure) return gitlabErrorFor(failure, what) ?? (error as Error);
  if (error instanceof CredentialRejectedError || error instanceof UpstreamNotFoundError || error instanceof UpstreamRateLimitedError || error instanceof UpstreamUnavailableError) return error;
  if (error instanceof GitLabInsufficientScopeError || error instanceof GitLabForbiddenError) return error;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'EgressBlockedError')) return error;
  return new UpstreamUnavailableError(`GitLab could not be reached: ${error instanceof Error ? error.message : String(error)}`);
}

/** Runs a GitLab call and maps its errors (see mapGitLabError). */
export async function callGitLab<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw mapGitLabError(error, what);
  }
}
