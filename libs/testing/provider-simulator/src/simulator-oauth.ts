import type { OAuthLifetimes, OAuthStats, SimOAuthClient } from './core/oauth/oauth-authorization-server';
import type { OAuthAuthorizationServer } from './core/oauth/oauth-authorization-server';
import type { GithubApps, GithubAppStats } from './providers/github/github-apps';

export type OAuthProviderId = 'github' | 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';

/** Test-time control of the providers' OAuth 2 servers. */
export interface SimulatorOAuthControl {
  /** An OAuth application (consumer) the provider knows; Bitbucket Cloud consumers carry `scopes`. */
  registerClient(provider: OAuthProviderId, client: SimOAuthClient): void;
  /** Access and refresh token lifetimes (real seconds; null: never expire) for tokens issued from now on. */
  configure(provider: OAuthProviderId, lifetimes: Partial<OAuthLifetimes>): void;
  stats(provider: OAuthProviderId): OAuthStats;
  /** Every access and refresh token the provider issued (to check none leaks). */
  issuedTokens(provider: OAuthProviderId): string[];
}

/** A GitHub App as the operator sees it: its id, slug and the private key it downloaded. */
export interface SimulatorGithubApp {
  id: number;
  slug: string;
  name: string;
  privateKeyPem: string;
}

/** Test-time control of the simulated GitHub's Apps. */
export interface SimulatorGithubAppsControl {
  app(slug: string): SimulatorGithubApp;
  list(): SimulatorGithubApp[];
  /** The app's "Setup URL": where GitHub sends the browser after an installation or a request. */
  setSetupUrl(slug: string, url: string): void;
  /** Lifetime of installation tokens minted from now on (real seconds; GitHub: 3600). */
  configure(options: { installationTokenSeconds?: number }): void;
  stats(): GithubAppStats;
  /** Every installation token minted (to check none leaks). */
  issuedTokens(): string[];
}

export function oauthControl(servers: Record<OAuthProviderId, OAuthAuthorizationServer>): SimulatorOAuthControl {
  return {
    registerClient: (provider, client) => servers[provider].registerClient(client),
    configure: (provider, lifetimes) => servers[provider].configure(lifetimes),
    stats: (provider) => servers[provider].stats(),
    issuedTokens: (provider) => servers[provider].issuedTokens(),
  };
}

export function githubAppsControl(apps: GithubApps): SimulatorGithubAppsControl {
  const view = (slug: string): SimulatorGithubApp => {
    const app = apps.app(slug);
    if (!app) throw new Error(`The simulator has no GitHub App ${slug}`);
    return { id: app.id, slug: app.slug, name: app.name, privateKeyPem: app.privateKeyPem };
  };
  return {
    app: view,
    list: () => apps.list().map((a) => view(a.slug)),
    setSetupUrl: (slug, url) => apps.setSetupUrl(slug, url),
    configure: (options) => apps.configure(options),
    stats: () => apps.stats(),
    issuedTokens: () => [...apps.issuedTokens],
  };
}
