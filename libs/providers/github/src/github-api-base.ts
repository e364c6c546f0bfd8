/** Resolves where GitHub's REST API lives for an organization's base URL. */
export function githubApiBaseUrl(baseUrl: string | null | undefined): string {
  if (!baseUrl) return 'https://api.github.com';
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  if (url.hostname === 'github.com' || url.hostname === 'api.github.com') return 'https://api.github.com';
  // GitHub Enterprise Server: https://ghe.example.com → https://ghe.example.com/api/v3
  if (path === '') return `${url.origin}/api/v3`;
  return `${url.origin}${path}`;
}

/** The host that owns budgets for this API (api.github.com, the GHES host, a simulator's host:port). */
export function githubBudgetHost(apiBaseUrl: string): string {
  return new URL(apiBaseUrl).host;
}
