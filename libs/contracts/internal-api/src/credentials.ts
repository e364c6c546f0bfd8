import type { Provider } from './organizations';

/** credential-service's internal API: secrets, credentials and their identities. */
export interface SecretRecord {
  id: string;
  name: string;
  description: string | null;
  /** last 4 characters */
  hint: string;
  createdAt: string;
  updatedAt: string;
}

export interface RateLimitView {
  limit: number;
  remaining: number | null;
  resetAt: string | null;
  resource: string;
}

export type CredentialStatus = 'valid' | 'invalid' | 'revoked';

export interface CredentialRecord {
  id: string;
  organizationId: string;
  role: 'main' | 'additional';
  method: 'token' | 'oauth' | 'github-app';
  username: string | null;
  email: string | null;
  secretId: string | null;
  identity: { provider: Provider; key: string; login: string } | null;
  tokenKind: string | null;
  status: CredentialStatus;
  statusReason: string | null;
  scopes: string[] | null;
  rateLimit: RateLimitView | null;
  capabilities: { git: boolean; metadata: boolean };
  /** other credentials of the organization with the same provider identity: they add no capacity */
  sharesBudgetWith: string[];
  lastUsedAt: string | null;
  createdAt: string;
}

export interface TokenCredentialInput {
  method: 'token';
  username?: string;
  email?: string;
  secretId?: string;
  /** inline: stored in the password manager as a new secret once validated */
  secret?: string;
}

/** A finished OAuth authorization (`POST /v1/oauth/authorizations`, then the provider's consent). */
export interface OAuthCredentialInput {
  method: 'oauth';
  authorizationId: string;
}

/** An installation of the main GitHub App (no slot) or of additional app #1–#10. */
export interface GitHubAppCredentialInput {
  method: 'github-app';
  appSlot?: number;
  installationId: number;
}

export type CredentialInput = TokenCredentialInput | OAuthCredentialInput | GitHubAppCredentialInput;

/** The organization a credential is validated against. */
export interface OrganizationTarget {
  id: string;
  provider: Provider;
  apiBaseUrl: string;
  name: string;
}

export interface CreateMainCredentialRequest {
  organization: OrganizationTarget;
  credential: CredentialInput;
}

/** Plaintext for the services that call providers (org-service discovery, workers). */
export interface CredentialMaterial {
  credentialId: string;
  organizationId: string;
  provider: Provider;
  apiBaseUrl: string;
  method: 'token' | 'oauth' | 'github-app';
  username: string | null;
  email: string | null;
  secret: string;
  identityKey: string | null;
  tokenKind: string | null;
  /** short-lived secrets (OAuth access tokens, GitHub App installation tokens): when it stops working */
  expiresAt?: string | null;
  /** when a holder should ask for the material again (a renewed token is ready by then) */
  renewAt?: string | null;
}
