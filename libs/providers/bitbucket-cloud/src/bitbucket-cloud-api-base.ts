/** bitbucket.org's REST API. */
export const BITBUCKET_CLOUD_API = 'https://api.bitbucket.org/2.0';

/**
 * Where Bitbucket Cloud's REST API answers for an organization's (optional) base URL: always
 * api.bitbucket.org/2.0 for bitbucket.org; another origin (a simulator, a proxy) keeps its origin and
 * serves the API under `/2.0`.
 */
export function bitbucketCloudApiBaseUrl(baseUrl: string | null | undefined): string {
  if (!baseUrl) return BITBUCKET_CLOUD_API;
  const url = new URL(baseUrl);
  if (url.hostname === 'bitbucket.org' || url.hostname === 'api.bitbucket.org') return BITBUCKET_CLOUD_API;
  const path = url.pathname.replace(/\/+$/, '');
  return path.endsWith('/2.0') ? `${url.origin}${path}` : `${url.origin}${path}/2.0`;
}

/** The host that owns budgets for this API (api.bitbucket.org, a simulator's host:port). */
export function bitbucketCloudBudgetHost(apiBaseUrl: string): string {
  return new URL(apiBaseUrl).host;
}
