import type { ProviderKind } from './provider-kind';

/** What a provider said about a budget in its last response. */
export interface RateLimitSnapshot {
  limit: number;
  remaining: number | null;
  /** RFC 3339 */
  resetAt: string | null;
  resource: string;
}

/** Who a credential is to the provider: budgets belong to identities, never to tokens. */
export interface CredentialIdentity {
  provider: ProviderKind;
  /** provider host the identity lives on (api.github.com, a GHES host, a simulator's host:port) */
  host: string;
  /** budget identity key: `<host>/<kind>/<id>`; two credentials with the same key share one budget */
  key: string;
  login: string;
  /** provider's stable user (or installation / bot) id */
  accountId: string;
  /** e.g. classic-pat, fine-grained-pat, oauth, installation */
  tokenKind: string;
  /** scopes the provider reported; null when the token kind reports none */
  scopes: string[] | null;
  rateLimit: RateLimitSnapshot | null;
}

export interface Capabilities {
  /** can clone and fetch repositories */
  git: boolean;
  /** can read issues, pull requests, releases… */
  metadata: boolean;
}

/** A repository as the provider lists it. */
export interface UpstreamRepository {
  providerId: string;
  fullName: string;
  name: string;
  defaultBranch: string | null;
  private: boolean;
  archived: boolean;
  sizeKb: number;
  pushedAt: string | null;
  hasWiki: boolean;
  /** the issue tracker is enabled (null: the provider does not say or has none of its own) */
  hasIssues?: boolean | null;
  /** the provider's https clone URL (never with credentials in it) */
  cloneUrl: string;
}

export interface OrganizationAccess {
  /** the organization exists and this identity is a member / may read its repositories */
  hasAccess: boolean;
  /** the organization's display name or login as the provider spells it */
  canonicalName?: string;
}
