import type { ProviderFetch } from './egress/egress-fetch';
import type { ProviderKind } from './provider-kind';
import type { Capabilities, CredentialIdentity, OrganizationAccess, UpstreamRepository } from './provider-types';

/**
 * Where an adapter sends its requests. `fetch` is the transport seam: it adds the credential's
 * authorization, enforces egress rules and (with claims) pays for each call with a rate-limit token.
 * Adapters never see secrets.
 */
export interface AdapterTarget {
  /** the provider's API base URL (e.g. https://api.github.com, https://ghe.example.com/api/v3) */
  apiBaseUrl: string;
  fetch: ProviderFetch;
}

/** One provider behind one interface. */
export interface ProviderAdapter {
  readonly kind: ProviderKind;
  /** who the credential is, its scopes and the budget the provider reported */
  identify(): Promise<CredentialIdentity>;
  /** whether this identity may read the organization's repositories */
  checkOrganizationAccess(organization: string, identity: CredentialIdentity): Promise<OrganizationAccess>;
  /** every repository of the organization the credential can see, following the provider's pagination */
  listRepositories(organization: string): AsyncIterable<UpstreamRepository>;
  /** what the credential's scopes allow */
  capabilitiesOf(identity: CredentialIdentity): Capabilities;
}

/**
 * Adds an Authorization header to requests for the provider's own origins only: a redirect to a
 * download host (or anywhere else) never receives the credential.
 */
export function withAuthorization(fetch: ProviderFetch, authorization: string, origins: readonly string[]): ProviderFetch {
  return (url, init = {}) => {
    if (!origins.includes(new URL(url).origin)) return fetch(url, init);
    const headers = new Headers(init.headers);
    headers.set('authorization', authorization);
    return fetch(url, { ...init, headers });
  };
}
