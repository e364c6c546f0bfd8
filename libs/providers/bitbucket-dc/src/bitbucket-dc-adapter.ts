import type { AxiosInstance } from 'axios';
import {
  type AdapterTarget, type Capabilities, type CredentialIdentity, type MetadataCounts, type MetadataExporter, type MetadataExportOptions,
  type MetadataSink, type OrganizationAccess, type ProviderAdapter, type UpstreamRepository, UpstreamUnavailableError,
} from '@repovault/providers/core';
import { bitbucketDcBudgetHost } from './bitbucket-dc-api-base';
import { bitbucketDcPages, createBitbucketDcHttp, expectOk, headersOf, send, type BitbucketDcRecord } from './bitbucket-dc-http';
import { exportBitbucketDcMetadata } from './bitbucket-dc-metadata-export';
import { bitbucketDcRateLimitFrom } from './bitbucket-dc-rate-limit';
import type { BitbucketDcTokenKind } from './bitbucket-dc-tokens';

interface DcPage {
  values?: BitbucketDcRecord[];
}

interface DcRepository {
  id?: number;
  slug?: string;
  name?: string;
  archived?: boolean;
  public?: boolean;
  project?: { key?: string };
  links?: { clone?: Array<{ name?: string; href?: string }> };
}

/** Bitbucket Data Center (REST `/rest/api/latest`) over axios; every request goes through the target's fetch. */
export class BitbucketDcAdapter implements ProviderAdapter, MetadataExporter {
  readonly kind = 'bitbucket-dc' as const;
  private readonly http: AxiosInstance;
  private readonly host: string;

  constructor(target: AdapterTarget) {
    this.http = createBitbucketDcHttp(target);
    this.host = bitbucketDcBudgetHost(target.apiBaseUrl);
  }

  /**
   * Who the token is: Data Center names the caller in `X-AUSERNAME` / `X-AUSERID` on every
   * authenticated response, and `GET /users/{userSlug}` tells a person (`NORMAL`: a personal token,
   * whose budget is the user's) from a token's service user (`SERVICE`: a project or repository
   * token, one service user per token: its budget is the token's own). Token permissions are not
   * reported: `scopes` lists what was observed: PROJECT_READ when some project is readable
   * (`GET /projects?permission=PROJECT_READ`), REPO_READ when some repository is
   * (`GET /repos?permission=REPO_READ`).
   */
  async identify(): Promise<CredentialIdentity> {
    const projects = expectOk(await send(() => this.http.get<DcPage>('/projects', { params: { permission: 'PROJECT_READ', limit: 1 } })), 'readable projects');
    const headers = headersOf(projects);
    const name = headers['x-ausername'];
    if (!name) throw new UpstreamUnavailableError('Bitbucket Data Center did not say who the caller is (no X-AUSERNAME): is the token valid for this instance?');
    const user = expectOk(await send(() => this.http.get<BitbucketDcRecord>(`/users/${encodeURIComponent(name.toLowerCase())}`)), `user ${name}`).data;
    const repos = expectOk(await send(() => this.http.get<DcPage>('/repos', { params: { permission: 'REPO_READ', limit: 1 } })), 'readable repositories');
    const scopes: string[] = [];
    if ((projects.data.values?.length ?? 0) > 0) scopes.push('PROJECT_READ');
    if ((repos.data.values?.length ?? 0) > 0) scopes.push('REPO_READ');
    const service = user['type'] === 'SERVICE';
    const slug = typeof user['slug'] === 'string' ? user['slug'] : name.toLowerCase();
    const id = typeof user['id'] === 'number' ? String(user['id']) : (headers['x-auserid'] ?? slug);
    const tokenKind: BitbucketDcTokenKind = service ? 'project-or-repository-token' : 'personal-token';
    return {
      provider: 'bitbucket-dc',
      host: this.host,
      // a service user stands for exactly one project or repository token
      key: service ? `bitbucket-dc:${this.host}:token-user:${id}` : `bitbucket-dc:${this.host}:user:${slug}`,
      login: slug,
      accountId: id,
      tokenKind,
      scopes,
      rateLimit: bitbucketDcRateLimitFrom(headersOf(repos)),
    };
  }

  /**
   * A project is an organization. Access means PROJECT_READ: the project must answer
   * (`GET /projects/{key}`, which any repository grant inside already allows) and be among the
   * projects the token may read (`GET /projects?name=…&permission=PROJECT_READ`).
   */
  async checkOrganizationAccess(projectKey: string, identity: CredentialIdentity): Promise<OrganizationAccess> {
    // A token that reads no project at all (a repository token) cannot read this one either.
    if (identity.scopes !== null && !identity.scopes.includes('PROJECT_READ')) return { hasAccess: false };
    const response = await send(() => this.http.get<BitbucketDcRecord>(`/projects/${encodeURIComponent(projectKey)}`));
    if (response.status === 404 || response.status === 403) return { hasAccess: false };
    const project = expectOk(response, `project ${projectKey}`).data;
    const key = typeof project['key'] === 'string' ? project['key'] : projectKey;
    const name = typeof project['name'] === 'string' ? project['name'] : undefined;
    for await (const page of bitbucketDcPages(this.http, '/projects', { name, permission: 'PROJECT_READ' }, 'readable projects')) {
      if (page.some((p) => p['key'] === key)) return { hasAccess: true, canonicalName: key };
    }
    return { hasAccess: false, canonicalName: key };
  }

  /** Every repository of the project the token may read (`start`/`limit` paging until `isLastPage`). */
  async *listRepositories(projectKey: string): AsyncIterable<UpstreamRepository> {
    for await (const page of bitbucketDcPages(this.http, `/projects/${encodeURIComponent(projectKey)}/repos`, {}, `repositories of ${projectKey}`)) {
      for (const repo of page) yield toUpstream(repo as DcRepository, projectKey);
    }
  }

  /** Observed permissions: git and metadata (pull requests) both need repository read. */
  capabilitiesOf(identity: CredentialIdentity): Capabilities {
    if (identity.scopes === null) return { git: true, metadata: true };
    const read = identity.scopes.includes('REPO_READ') || identity.scopes.includes('PROJECT_READ');
    return { git: read, metadata: read };
  }

  /** See `exportBitbucketDcMetadata` for what each kind means on Data Center. */
  exportMetadata(repositoryFullName: string, options: MetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
    return exportBitbucketDcMetadata(this.http, repositoryFullName, options, sink);
  }
}

function toUpstream(repo: DcRepository, projectKey: string): UpstreamRepository {
  const http = repo.links?.clone?.find((c) => c.name === 'http')?.href;
  let cloneUrl = '';
  if (http) {
    // Data Center puts the caller's name in clone links: never keep anything before the host.
    const url = new URL(http);
    url.username = '';
    url.password = '';
    cloneUrl = url.toString();
  }
  const key = repo.project?.key ?? projectKey;
  const slug = repo.slug ?? repo.name ?? '';
  return {
    providerId: String(repo.id ?? `${key}/${slug}`),
    fullName: `${key}/${slug}`,
    name: slug,
    // Data Center's repository resource has no default branch (a separate endpoint does); the mirror's HEAD tells it.
    defaultBranch: null,
    private: !(repo.public ?? false),
    archived: repo.archived ?? false,
    sizeKb: 0,
    pushedAt: null,
    hasWiki: false,
    cloneUrl,
  };
}
