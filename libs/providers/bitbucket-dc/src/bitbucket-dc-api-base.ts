/**
 * Where a Data Center instance's REST API answers: `<base URL>/rest/api/latest`, keeping a context
 * path (`https://host/bitbucket` → `https://host/bitbucket/rest/api/latest`). Data Center has no
 * default host: the base URL is required.
 */
export function bitbucketDcApiBaseUrl(baseUrl: string | null | undefined): string {
  if (!baseUrl) throw new Error('Bitbucket Data Center needs the base URL of the instance (e.g. https://bitbucket.example.com)');
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/rest\/api\/(latest|1\.0)$/, '');
  return `${url.origin}${path}/rest/api/latest`;
}

/** The instance root (for git: `<root>/scm/{key}/{slug}.git`). */
export function bitbucketDcInstanceRoot(apiBaseUrl: string): string {
  return apiBaseUrl.replace(/\/rest\/api\/(latest|1\.0)\/?$/, '');
}

/**
 * The host that owns budgets. Data Center limits per user per cluster NODE; the host stands for the
 * node behind it (budget for one node: a load balancer spreading requests only adds headroom).
 */
export function bitbucketDcBudgetHost(apiBaseUrl: string): string {
  return new URL(apiBaseUrl).host;
}
