import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { RequestError } from '@octokit/request-error';
import {
  type AdapterTarget, type Capabilities, CredentialRejectedError, type CredentialIdentity, type OrganizationAccess,
  type ProviderAdapter, type UpstreamRepository, UpstreamNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError,
} from '@repovault/providers/core';
import { githubBudgetHost } from './github-api-base';
import { githubRateLimitFrom } from './github-rate-limit';
import { hasGitHubScope } from './github-tokens';

const PagingOctokit = Octokit.plugin(paginateRest);
type PagingOctokit = InstanceType<typeof PagingOctokit>;

interface GitHubRepo {
  id: number;
  name: string;
  full_name: string;
  default_branch?: string;
  private: boolean;
  archived?: boolean;
  size?: number;
  pushed_at?: string | null;
  has_wiki?: boolean;
  clone_url?: string;
}

/** GitHub and GitHub Enterprise Server over Octokit; every request goes through the target's fetch. */
export class GitHubAdapter implements ProviderAdapter {
  readonly kind = 'github' as const;
  private readonly octokit: PagingOctokit;
  private readonly host: string;

  constructor(target: AdapterTarget) {
    this.host = githubBudgetHost(target.apiBaseUrl);
    this.octokit = new PagingOctokit({
      baseUrl: target.apiBaseUrl.replace(/\/$/, ''),
      userAgent: 'repovault',
      request: { fetch: target.fetch, retries: 0 },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
  }

  async identify(): Promise<CredentialIdentity> {
    const response = await this.call(() => this.octokit.request('GET /user'), 'the authenticated user');
    const scopesHeader = response.headers['x-oauth-scopes'];
    const scopes = typeof scopesHeader === 'string' ? scopesHeader.split(',').map((s) => s.trim()).filter(Boolean) : null;
    const user = response.data as { id: number; login: string };
    return {
      provider: 'github',
      host: this.host,
      key: `github:${this.host}:user:${user.id}`,
      login: user.login,
      accountId: String(user.id),
      // classic tokens and OAuth tokens list scopes; fine-grained and app tokens send no header
      tokenKind: scopes === null ? 'fine-grained-or-app' : 'classic',
      scopes,
      rateLimit: githubRateLimitFrom(response.headers as Record<string, string>),
    };
  }

  async checkOrganizationAccess(organization: string, identity: CredentialIdentity): Promise<OrganizationAccess> {
    let canonicalName: string;
    try {
      const org = await this.call(() => this.octokit.request('GET /orgs/{org}', { org: organization }), `organization ${organization}`);
      canonicalName = (org.data as { login: string }).login;
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return { hasAccess: false };
      throw error;
    }
    try {
      // 204 when the identity is a member; private memberships are visible to the member itself
      await this.call(() => this.octokit.request('GET /orgs/{org}/members/{username}', { org: organization, username: identity.login }), 'membership');
      return { hasAccess: true, canonicalName };
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return { hasAccess: false, canonicalName };
      throw error;
    }
  }

  async *listRepositories(organization: string): AsyncIterable<UpstreamRepository> {
    const pages = this.octokit.paginate.iterator('GET /orgs/{org}/repos', { org: organization, type: 'all', per_page: 100 });
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.call(() => iterator.next(), `repositories of ${organization}`);
      if (next.done) return;
      for (const repo of next.value.data as GitHubRepo[]) yield toUpstream(repo);
    }
  }

  capabilitiesOf(identity: CredentialIdentity): Capabilities {
    // fine-grained and app tokens carry no scope list: their repository permissions decide
    if (identity.scopes === null) return { git: true, metadata: true };
    const repo = hasGitHubScope(identity.scopes, 'repo');
    const publicRepo = hasGitHubScope(identity.scopes, 'public_repo');
    return { git: repo || publicRepo, metadata: repo || publicRepo };
  }

  /** Maps Octokit's errors to the provider-neutral ones. */
  private async call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!(error instanceof RequestError)) throw new UpstreamUnavailableError(`GitHub could not be reached: ${(error as Error).message}`);
      const headers = (error.response?.headers ?? {}) as Record<string, string>;
      if (error.status === 401) throw new CredentialRejectedError();
      if (error.status === 404) throw new UpstreamNotFoundError(what);
      if (error.status === 429 || (error.status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(error.message)))) {
        const retryAfter = headers['retry-after'];
        throw new UpstreamRateLimitedError(retryAfter ? Number(retryAfter) * 1000 : null);
      }
      if (error.status >= 500) throw new UpstreamUnavailableError(`GitHub answered ${error.status}`);
      throw error;
    }
  }
}

function toUpstream(repo: GitHubRepo): UpstreamRepository {
  return {
    providerId: String(repo.id),
    fullName: repo.full_name,
    name: repo.name,
    defaultBranch: repo.default_branch ?? null,
    private: repo.private,
    archived: repo.archived ?? false,
    sizeKb: repo.size ?? 0,
    pushedAt: repo.pushed_at ?? null,
    hasWiki: repo.has_wiki ?? false,
    cloneUrl: repo.clone_url ?? '',
  };
}
