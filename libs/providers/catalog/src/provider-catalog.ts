import {
  type AdapterTarget, type CredentialPolicy, type ProviderAdapter, type ProviderFetch, type ProviderKind, withAuthorization,
} from '@repovault/providers/core';
import { GitHubAdapter, githubApiBaseUrl, githubAuthorization, githubCredentialPolicy, githubGitAuthorization, githubResourceOf } from '@repovault/providers/github';

/** What a service needs to talk to a credential's provider: never the secret itself in adapters. */
export interface CredentialSecret {
  secret: string;
  username: string | null;
  email: string | null;
  tokenKind: string | null;
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
  /** which budget an API request draws from (e.g. GitHub core, search, graphql) */
  resourceOf(path: string): string;
  adapter(target: AdapterTarget): ProviderAdapter;
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
    adapter: (target) => new GitHubAdapter(target),
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
export function adapterFor(kind: ProviderKind, apiBaseUrl: string, fetch: ProviderFetch, credential: CredentialSecret): ProviderAdapter {
  const support = providerSupport(kind);
  return support.adapter({ apiBaseUrl, fetch: withAuthorization(fetch, support.authorization(credential), [new URL(apiBaseUrl).origin]) });
}
