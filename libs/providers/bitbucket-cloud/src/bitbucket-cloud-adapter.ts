import type { AxiosInstance } from 'axios';
import {
  type AdapterTarget, type Capabilities, type CredentialIdentity, type MetadataCounts, type MetadataExporter,
  type MetadataSink, type OrganizationAccess, type ProviderAdapter, type UpstreamRepository,
} from '@repovault/providers/core';
import { bitbucketCloudBudgetHost } from './bitbucket-cloud-api-base';
import { BitbucketForbiddenError, createBitbucketHttp, expectOk, headersOf, send } from './bitbucket-cloud-http';
import { bitbucketCloudIdentity, BitbucketCloudIdentityError } from './bitbucket-cloud-identity';
import { exportBitbucketCloudMetadata, type BitbucketCloudExportOptions } from './bitbucket-cloud-metadata-export';
import { bitbucketCloudPages, type BitbucketRecord, updatedSinceQuery } from './bitbucket-cloud-pages';
import { bitbucketCloudRateLimitFrom } from './bitbucket-cloud-rate-limit';
import { BITBUCKET_CLOUD_API_TOKEN_SCOPES, bitbucketCloudTokenKindOf, hasBitbucketCloudAccessScope, isBitbucketCloudAccessToken } from './bitbucket-cloud-tokens';

export interface BitbucketCloudAdapterOptions {
  /**
   * For access tokens (they have no user): the token's keyed fingerprint
   * (`bitbucketCloudTokenFingerprint(token, key)`), computed by the transport seam that holds the
   * secret. API tokens do not need it.
   */
  tokenFingerprint?: string;
}

/** Adapter-specific: only repositories updated after this instant (`q=updated_on>…`), for incremental runs. */
export interface BitbucketCloudListOptions {
  updatedSince?: Date | string;
}

interface BitbucketRepository {
  uuid?: string;
  full_name?: string;
  slug?: string;
  name?: string;
  is_private?: boolean;
  size?: number;
  updated_on?: string;
  has_wiki?: boolean;
  has_issues?: boolean;
  mainbranch?: { name?: string } | null;
  links?: { clone?: Array<{ name?: string; href?: string }> };
}

function scopesFrom(header: string | undefined): string[] | null {
  if (header === undefined) return null;
  return header.split(',').map((s) => s.trim()).filter(Boolean);
}

/** Bitbucket Cloud (API 2.0) over axios; every request goes through the target's fetch. */
export class BitbucketCloudAdapter implements ProviderAdapter, MetadataExporter {
  readonly kind = 'bitbucket-cloud' as const;
  private readonly http: AxiosInstance;
  private readonly host: string;

  constructor(
    private readonly target: AdapterTarget,
    private readonly options: BitbucketCloudAdapterOptions = {},
  ) {
    this.http = createBitbucketHttp(target);
    this.host = bitbucketCloudBudgetHost(target.apiBaseUrl);
  }

  /**
   * `GET /2.0/user`: 200 for API tokens (the user, whose uuid keys the budget); access tokens get a
   * 403 there, but its `x-credential-type` and `x-oauth-scopes` still say what they are.
   */
  async identify(): Promise<CredentialIdentity> {
    const response = await send(() => this.http.get<BitbucketRecord>('/user'));
    const headers = headersOf(response);
    const credentialType = headers['x-credential-type'] ?? null;
    const scopes = scopesFrom(headers['x-oauth-scopes']);
    const kind = bitbucketCloudTokenKindOf(credentialType);
    const base = { host: this.host, credentialType, scopes, rateLimit: bitbucketCloudRateLimitFrom(headers) };
    if (response.status === 403 && isBitbucketCloudAccessToken(kind)) return bitbucketCloudIdentity({ ...base, tokenFingerprint: this.options.tokenFingerprint });
    if (response.status === 403) {
      throw new BitbucketCloudIdentityError(
        `Bitbucket Cloud would not say whose API token this is: it needs the ${BITBUCKET_CLOUD_API_TOKEN_SCOPES.user} scope (it has: ${scopes?.join(', ') || 'none'}). Create a token with it and add it again.`,
      );
    }
    const user = expectOk(response, 'the authenticated user').data as { uuid?: unknown; nickname?: unknown; display_name?: unknown; account_id?: unknown };
    if (typeof user.uuid !== 'string') throw new BitbucketCloudIdentityError('Bitbucket Cloud sent a user without a uuid');
    return bitbucketCloudIdentity({
      ...base,
      credentialType: credentialType ?? 'api_token',
      user: {
        uuid: user.uuid,
        nickname: typeof user.nickname === 'string' ? user.nickname : undefined,
        display_name: typeof user.display_name === 'string' ? user.display_name : undefined,
        account_id: typeof user.account_id === 'string' ? user.account_id : undefined,
      },
    });
  }

  /**
   * The workspace (`GET /2.0/workspaces/{workspace}`) answers for members and for access tokens of
   * that workspace; a 404 means no access. Without `read:workspace:bitbucket` (a 403), access is
   * judged by whether the credential sees any repository there.
   */
  async checkOrganizationAccess(workspace: string, identity: CredentialIdentity): Promise<OrganizationAccess> {
    const response = await send(() => this.http.get<BitbucketRecord>(`/workspaces/${encodeURIComponent(workspace)}`));
    if (response.status === 404) return { hasAccess: false };
    if (response.status === 403) {
      // Users must be members (public repositories do not count); an access token only sees its own resource anyway.
      const role = isBitbucketCloudAccessToken(identity.tokenKind) ? undefined : 'member';
      const repos = expectOk(await send(() => this.http.get<{ values?: unknown[] }>(`/repositories/${encodeURIComponent(workspace)}`, { params: { pagelen: 1, role } })), `repositories of ${workspace}`);
      return { hasAccess: (repos.data.values?.length ?? 0) > 0 };
    }
    const body = expectOk(response, `workspace ${workspace}`).data as { slug?: unknown };
    return { hasAccess: true, canonicalName: typeof body.slug === 'string' ? body.slug : workspace };
  }

  /** Every repository of the workspace the credential sees (`pagelen=100`, following `next`); `updatedSince` adds `q=updated_on>…`. */
  async *listRepositories(workspace: string, options: BitbucketCloudListOptions = {}): AsyncIterable<UpstreamRepository> {
    const q = updatedSinceQuery(options.updatedSince);
    const path = `/repositories/${encodeURIComponent(workspace)}`;
    for await (const page of bitbucketCloudPages(this.http, this.target.apiBaseUrl, path, { pagelen: 100, q }, `repositories of ${workspace}`)) {
      for (const repo of page) yield toUpstream(repo as BitbucketRepository, workspace);
    }
  }

  /**
   * API tokens: git needs `read:repository:bitbucket`; metadata also `read:pullrequest:bitbucket`
   * and `read:issue:bitbucket`. Access tokens: git needs `repository` (or a scope implying it),
   * metadata `pullrequest` (their `repository` scope covers the issue tracker).
   */
  capabilitiesOf(identity: CredentialIdentity): Capabilities {
    if (identity.scopes === null) return { git: true, metadata: true };
    const scopes = identity.scopes;
    if (isBitbucketCloudAccessToken(identity.tokenKind)) {
      const git = hasBitbucketCloudAccessScope(scopes, 'repository');
      return { git, metadata: git && hasBitbucketCloudAccessScope(scopes, 'pullrequest') };
    }
    const git = scopes.includes(BITBUCKET_CLOUD_API_TOKEN_SCOPES.repository);
    return { git, metadata: git && scopes.includes(BITBUCKET_CLOUD_API_TOKEN_SCOPES.pullRequest) && scopes.includes(BITBUCKET_CLOUD_API_TOKEN_SCOPES.issue) };
  }

  /** See `exportBitbucketCloudMetadata` for what each kind means on Bitbucket Cloud. */
  readonly incremental = true;

  exportMetadata(repositoryFullName: string, options: BitbucketCloudExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
    return exportBitbucketCloudMetadata({ http: this.http, fetch: this.target.fetch, apiBaseUrl: this.target.apiBaseUrl }, repositoryFullName, options, sink);
  }
}

/** True when a refusal means "not allowed" rather than "not there". */
export function isBitbucketForbidden(error: unknown): error is BitbucketForbiddenError {
  return error instanceof BitbucketForbiddenError;
}

function toUpstream(repo: BitbucketRepository, workspace: string): UpstreamRepository {
  const https = repo.links?.clone?.find((c) => c.name === 'https')?.href;
  let cloneUrl = '';
  if (https) {
    // bitbucket.org puts the viewer's username in clone links: never keep anything before the host.
    const url = new URL(https);
    url.username = '';
    url.password = '';
    cloneUrl = url.toString();
  }
  const slug = repo.slug ?? repo.full_name?.split('/')[1] ?? repo.name ?? '';
  return {
    providerId: repo.uuid ?? repo.full_name ?? `${workspace}/${slug}`,
    fullName: repo.full_name ?? `${workspace}/${slug}`,
    name: slug,
    defaultBranch: repo.mainbranch?.name ?? null,
    private: repo.is_private ?? true,
    archived: false,
    sizeKb: Math.ceil((repo.size ?? 0) / 1024),
    pushedAt: repo.updated_on ?? null,
    hasWiki: repo.has_wiki ?? false,
    hasIssues: typeof repo.has_issues === 'boolean' ? repo.has_issues : null,
    cloneUrl,
  };
}
