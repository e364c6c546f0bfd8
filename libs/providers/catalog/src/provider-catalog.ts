import {
  type AdapterTarget, type CredentialPolicy, type ProviderAdapter, type ProviderFetch, type ProviderKind, type RepositoryRestorer, withAuthorization,
} from '@repovault/providers/core';
import {
  BitbucketCloudAdapter, bitbucketCloudApiBaseUrl, bitbucketCloudAuthorization, bitbucketCloudCredentialPolicy, bitbucketCloudGitAuthorization,
  bitbucketCloudResourceOf, bitbucketCloudTokenFingerprint, BitbucketCloudRestorer,
} from '@repovault/providers/bitbucket-cloud';
import {
  BitbucketDcAdapter, bitbucketDcApiBaseUrl, bitbucketDcAuthorization, bitbucketDcCredentialPolicy, bitbucketDcGitAuthorization, bitbucketDcResourceOf,
  BitbucketDcRestorer,
} from '@repovault/providers/bitbucket-dc';
import {
  GitHubAdapter, GitHubRestorer, githubApiBaseUrl, githubAuthorization, githubCredentialPolicy, githubGitAuthorization, githubResourceOf,
} from '@repovault/providers/github';
import {
  GitLabAdapter, gitlabApiBaseUrl, gitlabAuthorization, gitlabCredentialPolicy, gitlabGitAuthorization, gitlabResourceOf, GitLabRestorer,
} from '@repovault/providers/gitlab';

/** What a service needs to talk to a credential's provider: never the secret itself in adapters. */
export interface CredentialSecret {
  secret: string;
  username: string | null;
  email: string | null;
  tokenKind: string | null;
}

/** What an adapter may need beyond where to send requests. */
export interface AdapterOptions {
  /** GitLab: back up subgroups' projects too */
  includeGroups?: boolean;
  /** the credential being identified (Bitbucket access tokens are identified by a keyed hash of it) */
  credential?: CredentialSecret;
  /** key of that hash (credential-service's configuration) */
  identityHashKey?: string;
}

export interface ProviderSupport {
  kind: ProviderKind;
  displayName: string;
  /** where the REST API answers for an organization's (optional) base URL */
  apiBaseUrl(baseUrl: string | null | undefined): string;
  /** whether the base URL may be omitted (cloud) */
  baseUrlRequired: boolean;
  policy: CredentialPolicy;
  /** the Authorization header value for REST calls */
  authorization(credential: CredentialSecret): string;
  /** the Authorization header value for git smart HTTP and the LFS batch API */
  gitAuthorization(credential: CredentialSecret): string;
  /** which budget an API request draws from (e.g. GitHub core, search, graphql; GitHub writes cost more) */
  resourceOf(path: string, method?: string): string;
  /** where the wiki of a repository lives, from its clone URL (null: the provider has none) */
  wikiUrl(cloneUrl: string): string | null;
  /**
   * A run lists the organization's repositories afresh before it fans out: the listing's activity
   * fields (GitLab `last_activity_at`, Bitbucket `has_issues`) steer incremental metadata exports.
   * Providers with free conditional requests (GitHub) revalidate per repository instead.
   */
  listingPerRun: boolean;
  adapter(target: AdapterTarget, options?: AdapterOptions): ProviderAdapter;
  /** the provider's restore writer (see RepositoryRestorer in @repovault/providers/core); absent: restores are refused */
  restorer?(target: AdapterTarget): RepositoryRestorer;
}

const CATALOG: Partial<Record<ProviderKind, ProviderSupport>> = {
  github: {
    kind: 'github',
    displayName: 'GitHub',
    apiBaseUrl: githubApiBaseUrl,
    baseUrlRequired: false,
    policy: githubCredentialPolicy,
    authorization: (credential) => githubAuthorization(credential.secret),
    // GitHub takes the token as the password of any user; x-access-token is what GitHub Apps use
    gitAuthorization: (credential) => githubGitAuthorization(credential.secret),
    resourceOf: githubResourceOf,
    wikiUrl: (cloneUrl) => cloneUrl.replace(/\.git$/, '.wiki.git'),
    listingPerRun: false,
    adapter: (target) => new GitHubAdapter(target),
    restorer: (target) => new GitHubRestorer(target),
  },
  gitlab: {
    kind: 'gitlab',
    displayName: 'GitLab',
    apiBaseUrl: gitlabApiBaseUrl,
    baseUrlRequired: false,
    policy: gitlabCredentialPolicy,
    authorization: (credential) => gitlabAuthorization(credential.secret),
    gitAuthorization: (credential) => gitlabGitAuthorization(credential.secret, credential.tokenKind),
    resourceOf: gitlabResourceOf,
    wikiUrl: (cloneUrl) => cloneUrl.replace(/\.git$/, '.wiki.git'),
    listingPerRun: true,
    adapter: (target, options) => new GitLabAdapter(target, { includeSubgroups: options?.includeGroups ?? false, includeGroupData: options?.includeGroups ?? false }),
    restorer: (target) => new GitLabRestorer(target),
  },
  'bitbucket-cloud': {
    kind: 'bitbucket-cloud',
    displayName: 'Bitbucket Cloud',
    apiBaseUrl: bitbucketCloudApiBaseUrl,
    baseUrlRequired: false,
    policy: bitbucketCloudCredentialPolicy,
    authorization: (credential) => bitbucketCloudAuthorization(credential.secret, credential.email, credential.tokenKind),
    gitAuthorization: (credential) => bitbucketCloudGitAuthorization(credential.secret, credential.tokenKind),
    resourceOf: bitbucketCloudResourceOf,
    wikiUrl: (cloneUrl) => `${cloneUrl.replace(/\/$/, '')}/wiki`,
    listingPerRun: true,
    adapter: (target, options) =>
      new BitbucketCloudAdapter(target, {
        tokenFingerprint: options?.credential && options.identityHashKey ? bitbucketCloudTokenFingerprint(options.credential.secret, options.identityHashKey) : undefined,
      }),
    restorer: (target) => new BitbucketCloudRestorer(target),
  },
  'bitbucket-dc': {
    kind: 'bitbucket-dc',
    displayName: 'Bitbucket Data Center',
    apiBaseUrl: (baseUrl) => bitbucketDcApiBaseUrl(baseUrl),
    baseUrlRequired: true,
    policy: bitbucketDcCredentialPolicy,
    authorization: (credential) => bitbucketDcAuthorization(credential.secret),
    gitAuthorization: (credential) => bitbucketDcGitAuthorization(credential.secret),
    resourceOf: () => bitbucketDcResourceOf(),
    wikiUrl: () => null,
    listingPerRun: false,
    adapter: (target) => new BitbucketDcAdapter(target),
    restorer: (target) => new BitbucketDcRestorer(target),
  },
};

export class ProviderNotSupportedError extends Error {
  constructor(readonly kind: string) {
    super(`the ${kind} provider is not supported yet`);
    this.name = 'ProviderNotSupportedError';
  }
}

export function providerSupport(kind: ProviderKind): ProviderSupport {
  const support = CATALOG[kind];
  if (!support) throw new ProviderNotSupportedError(kind);
  return support;
}

export function isProviderSupported(kind: ProviderKind): boolean {
  return CATALOG[kind] !== undefined;
}

/** An adapter whose every request carries the credential's authorization through `fetch`. */
export function adapterFor(kind: ProviderKind, apiBaseUrl: string, fetch: ProviderFetch, credential: CredentialSecret, options: AdapterOptions = {}): ProviderAdapter {
  const support = providerSupport(kind);
  const target = { apiBaseUrl, fetch: withAuthorization(fetch, support.authorization(credential), [new URL(apiBaseUrl).origin]) };
  return support.adapter(target, { ...options, credential });
}
