/** gitlab.com's REST API. */
export const GITLAB_CLOUD_API_BASE_URL = 'https://gitlab.com/api/v4';

const API_SUFFIX = '/api/v4';

/**
 * Where GitLab's REST API answers for an organization's base URL: gitlab.com without one,
 * `<instance>/api/v4` for a self-managed instance (a relative URL root such as
 * `https://example.com/gitlab` is kept).
 */
export function gitlabApiBaseUrl(baseUrl: string | null | undefined): string {
  if (!baseUrl) return GITLAB_CLOUD_API_BASE_URL;
  const url = new URL(baseUrl);
  if (url.hostname === 'gitlab.com' || url.hostname === 'www.gitlab.com') return GITLAB_CLOUD_API_BASE_URL;
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path.endsWith(API_SUFFIX) ? path : `${path}${API_SUFFIX}`}`;
}

/** The instance root an API base URL belongs to (`https://gitlab.com`, `https://example.com/gitlab`). */
export function gitlabInstanceRoot(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (!path.endsWith(API_SUFFIX)) throw new Error(`${apiBaseUrl} is not a GitLab REST API base URL (it must end with ${API_SUFFIX})`);
  return `${url.origin}${path.slice(0, -API_SUFFIX.length)}`;
}

/** The host that owns budgets for this API (gitlab.com, a self-managed host, a simulator's host:port). */
export function gitlabBudgetHost(apiBaseUrl: string): string {
  return new URL(apiBaseUrl).host;
}
