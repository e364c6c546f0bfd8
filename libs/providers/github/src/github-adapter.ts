import {
  type AdapterTarget, type Capabilities, type CredentialIdentity, type MetadataCounts, type MetadataExporter, type MetadataExportOptions,
  type MetadataSink, type OrganizationAccess, type ProviderAdapter, type UpstreamRepository, UpstreamNotFoundError,
} from '@repovault/providers/core';
import { githubBudgetHost } from './github-api-base';
import { callGitHub } from './github-errors';
import { exportGitHubMetadata } from './github-metadata-export';
import { createGitHubOctokit, type PagingOctokit } from './github-octokit';
import { githubRateLimitFrom } from './github-rate-limit';
import { hasGitHubScope } from './github-tokens';

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
  has_issues?: boolean;
  clone_url?: string;
}

/** GitHub and GitHub Enterprise Server over Octokit; every request goes through the target's fetch. */
export class GitHubAdapter implements ProviderAdapter, MetadataExporter {
  readonly kind = 'github' as const;
  private readonly octokit: PagingOctokit;
  private readonly host: string;

  constructor(private readonly target: AdapterTarget) {
    this.host = githubBudgetHost(target.apiBaseUrl);
    this.octokit = createGitHubOctokit(target);
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

  /**
   * Issues, pull requests, comments, reviews, releases (and their assets), labels and milestones of one
   * repository, streamed to the sink page by page (`per_page=100`, GitHub's `link` pagination).
   */
  exportMetadata(repositoryFullName: string, options: MetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
    return exportGitHubMetadata({ octokit: this.octokit, fetch: this.target.fetch, apiBaseUrl: this.target.apiBaseUrl }, repositoryFullName, options, sink);
  }

  /** Maps Octokit's errors to the provider-neutral ones. */
  private call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    return callGitHub(fn, what);
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
    hasIssues: typeof repo.has_issues === 'boolean' ? repo.has_issues : null,
    cloneUrl: repo.clone_url ?? '',
  };
}
