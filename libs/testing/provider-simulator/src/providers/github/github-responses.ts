import { randomBytes } from 'node:crypto';
import type { HeaderMap } from '../../core/http-io';
import type { RateDecision } from '../../core/rate-models';
import type { GithubViewer } from './github-auth';
import type { GithubResource } from './github-rate-limits';

export const DOCS = {
  rest: 'https://docs.github.com/rest',
  primary: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
  secondary: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
} as const;

export interface GithubError {
  message: string;
  documentation_url: string;
  status: string;
}

export function errorBody(status: number, message: string, documentationUrl: string = DOCS.rest): GithubError {
  return { message, documentation_url: documentationUrl, status: String(status) };
}

export function requestId(): string {
  const hex = randomBytes(10).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 9)}:${hex.slice(9, 15)}:${hex.slice(15, 20)}`;
}

export function rateLimitHeaders(decision: RateDecision, resource: GithubResource): HeaderMap {
  return {
    'x-ratelimit-limit': decision.limit,
    'x-ratelimit-remaining': decision.remaining,
    'x-ratelimit-reset': Math.ceil(decision.resetAtMs / 1000),
    'x-ratelimit-used': decision.used,
    'x-ratelimit-resource': resource,
  };
}

/** Headers every API response carries; scope headers only for classic tokens, as GitHub does. */
export function commonHeaders(viewer: GithubViewer | undefined, acceptedScopes: string): HeaderMap {
  const headers: HeaderMap = {
    'x-github-request-id': requestId(),
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'access-control-expose-headers':
      'ETag, Link, Location, Retry-After, X-GitHub-OTP, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Used, X-RateLimit-Resource, X-RateLimit-Reset, X-OAuth-Scopes, X-Accepted-OAuth-Scopes, X-Poll-Interval, X-GitHub-Media-Type, X-GitHub-SSO, X-GitHub-Request-Id, Deprecation, Sunset',
  };
  if (viewer?.kind === 'user' && viewer.credential.kind === 'classic') {
    headers['x-oauth-scopes'] = viewer.credential.scopes.join(', ');
    headers['x-accepted-oauth-scopes'] = acceptedScopes;
  }
  return headers;
}

export function primaryExceededBody(viewer: GithubViewer, id: string, status: number): GithubError {
  const stamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
  const message =
    viewer.kind === 'user'
      ? `API rate limit exceeded for user ID ${viewer.user.id}. If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${stamp} UTC.`
      : `API rate limit exceeded for ${viewer.ip}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.) If you reach out to GitHub Support for help, please include the request ID ${id} and timestamp ${stamp} UTC.`;
  return errorBody(status, message, DOCS.primary);
}

export function secondaryExceededBody(id: string): GithubError {
  return errorBody(
    403,
    `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
    DOCS.secondary,
  );
}
