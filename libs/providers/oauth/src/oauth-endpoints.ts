import type { ProviderKind } from '@repovault/providers/core';

/** Where a provider's OAuth 2 authorization server answers, and what it supports. */
export interface OAuthEndpoints {
  provider: ProviderKind;
  /** the consent page the browser is sent to */
  authorizeUrl: string;
  /** where codes and refresh tokens are exchanged */
  tokenUrl: string;
  /** PKCE (S256): GitHub (optional there, always sent), GitLab, Bitbucket DC; not Bitbucket Cloud */
  pkce: boolean;
  /** what a backup needs; Bitbucket Cloud consumers carry their scopes themselves (none is sent) */
  scopes: string[];
}

/** The web origin behind GitHub's API: api.github.com → github.com, GHES `https://h/api/v3` → `https://h`. */
function githubWebBase(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '')}`;
}

function stripSuffix(apiBaseUrl: string, suffix: RegExp): string {
  const url = new URL(apiBaseUrl);
  return `${url.origin}${url.pathname.replace(/\/+$/, '').replace(suffix, '')}`;
}

/**
 * OAuth endpoints for an organization's API base URL (as the provider catalog derives it). Self-managed
 * GitLab, GitHub Enterprise Server and Bitbucket Data Center serve them on their own host; a host other
 * than bitbucket.org (a simulator, a proxy) serves Bitbucket Cloud's on its own origin.
 */
export function oauthEndpointsFor(provider: ProviderKind, apiBaseUrl: string): OAuthEndpoints {
  switch (provider) {
    case 'github': {
      const web = githubWebBase(apiBaseUrl);
      return { provider, authorizeUrl: `${web}/login/oauth/authorize`, tokenUrl: `${web}/login/oauth/access_token`, pkce: true, scopes: ['repo', 'read:org'] };
    }
    case 'gitlab': {
      const root = stripSuffix(apiBaseUrl, /\/api\/v4$/);
      return { provider, authorizeUrl: `${root}/oauth/authorize`, tokenUrl: `${root}/oauth/token`, pkce: true, scopes: ['read_api', 'read_repository'] };
    }
    case 'bitbucket-cloud': {
      const url = new URL(apiBaseUrl);
      const web = url.hostname === 'api.bitbucket.org' ? 'https://bitbucket.org' : url.origin;
      return { provider, authorizeUrl: `${web}/site/oauth2/authorize`, tokenUrl: `${web}/site/oauth2/access_token`, pkce: false, scopes: [] };
    }
    case 'bitbucket-dc': {
      const root = stripSuffix(apiBaseUrl, /\/rest\/api\/(latest|1\.0)$/);
      return { provider, authorizeUrl: `${root}/rest/oauth2/latest/authorize`, tokenUrl: `${root}/rest/oauth2/latest/token`, pkce: true, scopes: ['REPO_READ'] };
    }
  }
}
