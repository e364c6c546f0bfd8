import { App } from '@octokit/app';
import { Octokit } from '@octokit/core';
import type { ProviderFetch } from '@repovault/providers/core';
import { githubBudgetHost } from './github-api-base';
import { callGitHub } from './github-errors';
import { GITHUB_USER_AGENT } from './github-octokit';

/** An installation of a GitHub App, as the app itself sees it (`GET /app/installations/{id}`). */
export interface GitHubAppInstallation {
  id: number;
  appId: number;
  appSlug: string;
  /** the organization or user the app was installed on */
  account: { id: number; login: string; type: string };
  repositorySelection: string;
  permissions: Record<string, string>;
  suspendedAt: string | null;
}

/** An installation access token (`ghs_…`) and its lifetime, in epoch ms. */
export interface InstallationToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

export interface GitHubAppClientOptions {
  appId: number;
  privateKey: string;
  apiBaseUrl: string;
  /** every call goes through it (egress rules at connect time) */
  fetch: ProviderFetch;
  /** when a cached token must be minted again, from its issue and expiry instants */
  renewAt: (issuedAt: number, expiresAt: number) => number;
}

/**
 * @octokit/auth-app's token cache, but honouring each token's own `expires_at`: the library keeps
 * tokens 59 minutes whatever GitHub said, while a token must be minted again before it expires
 * mid-run (GitHub's tokens live an hour; GHES and tests may make them shorter).
 */
class RenewingTokenCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly renewAt: (issuedAt: number, expiresAt: number) => number, private readonly max = 5_000) {}

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    // auth-app's format: token|createdAt|expiresAt|…
    const [, createdAt, expiresAt] = value.split('|');
    if (Date.now() >= this.renewAt(Date.parse(createdAt ?? ''), Date.parse(expiresAt ?? ''))) {
      this.entries.delete(key);
      return undefined;
    }
    return value;
  }

  set(key: string, value: string): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value ?? '');
    this.entries.set(key, value);
  }
}

const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * One GitHub App of the operator, through @octokit/app: its installation URL (with a state), what an
 * installation is, and installation access tokens, cached under their hour and minted again before
 * they expire. The app's JWT (RS256, `iat` in the past, ten minutes at most) is @octokit/auth-app's.
 */
export class GitHubAppClient {
  private readonly app: App;
  readonly host: string;

  constructor(private readonly options: GitHubAppClientOptions) {
    const cache = new RenewingTokenCache(options.renewAt);
    const AppOctokit = Octokit.defaults((given: Record<string, unknown>) => ({
      ...given,
      baseUrl: options.apiBaseUrl.replace(/\/$/, ''),
      userAgent: GITHUB_USER_AGENT,
      request: { fetch: options.fetch, retries: 0 },
      log: SILENT,
      auth: { ...(given['auth'] as object | undefined), cache },
    }));
    this.app = new App({ appId: options.appId, privateKey: options.privateKey, Octokit: AppOctokit, log: SILENT });
    this.host = githubBudgetHost(options.apiBaseUrl);
  }

  get appId(): number {
    return this.options.appId;
  }

  /** Where a person installs the app (`{html_url}/installations/new?state=…`, from `GET /app`). */
  installationUrl(state: string): Promise<string> {
    return callGitHub(() => this.app.getInstallationUrl({ state }), 'the GitHub App');
  }

  async installation(installationId: number): Promise<GitHubAppInstallation> {
    const { data } = await callGitHub(
      () => this.app.octokit.request('GET /app/installations/{installation_id}', { installation_id: installationId }),
      `installation ${installationId} of the GitHub App`,
    );
    const account = (data.account ?? {}) as { id?: number; login?: string; slug?: string; type?: string };
    return {
      id: data.id,
      appId: data.app_id,
      appSlug: data.app_slug,
      account: { id: account.id ?? 0, login: account.login ?? account.slug ?? '', type: account.type ?? 'Organization' },
      repositorySelection: data.repository_selection,
      permissions: (data.permissions ?? {}) as Record<string, string>,
      suspendedAt: data.suspended_at ?? null,
    };
  }

  /** A token of the installation: the cached one while it is fresh, else a new one. */
  async installationToken(installationId: number, options: { refresh?: boolean } = {}): Promise<InstallationToken> {
    const auth = (await callGitHub(
      () => this.app.octokit.auth({ type: 'installation', installationId, refresh: options.refresh ?? false }),
      `installation ${installationId} of the GitHub App`,
    )) as { token: string; createdAt: string; expiresAt: string };
    return { token: auth.token, issuedAt: Date.parse(auth.createdAt), expiresAt: Date.parse(auth.expiresAt) };
  }
}

/** Budgets belong to the installation: every token of it shares one (PROVIDERS.md). */
export function githubInstallationIdentityKey(host: string, installationId: number): string {
  return `github:${host}:installation:${installationId}`;
}
