import type { Provider, SyncSchedule } from './organizations';

/** credential-service's internal API for OAuth (standard and advanced mode) and GitHub App installs. */

/** What an organization onboarded through a tenant's OAuth application starts with (advanced mode). */
export interface OrganizationDefaults {
  autoAddNewRepositories: boolean;
  includeGroups: boolean;
  sync: SyncSchedule | null;
  defaultWorkerPool: string | null;
}

/** A tenant's own OAuth application (advanced mode), its secret in the password manager. */
export interface OAuthAppRecord extends OrganizationDefaults {
  id: string;
  provider: Provider;
  baseUrl: string | null;
  apiBaseUrl: string;
  clientId: string;
  clientSecretId: string;
  createdAt: string;
}

export interface CreateOAuthAppRequest {
  provider: Provider;
  baseUrl?: string;
  clientId: string;
  clientSecretId: string;
  autoAddNewRepositories?: boolean;
  includeGroups?: boolean;
  sync?: SyncSchedule;
  defaultWorkerPool?: string;
}

export type OAuthAuthorizationStatus = 'pending' | 'authorized' | 'failed' | 'used';

export interface OAuthAuthorizationRecord {
  id: string;
  provider: Provider;
  baseUrl: string | null;
  apiBaseUrl: string;
  /** null: the operator's OAuth application (standard mode) */
  oauthAppId: string | null;
  status: OAuthAuthorizationStatus;
  /** why it failed (the provider's refusal, a denied consent) */
  failureReason: string | null;
  /** who granted access, once authorized */
  account: { login: string; identityKey: string } | null;
  /** the state (and so the consent) is valid until then */
  expiresAt: string;
  createdAt: string;
  completedAt: string | null;
  /** advanced mode: the organization settings the tenant chose with its OAuth application */
  organizationDefaults: OrganizationDefaults | null;
}

export interface CreateOAuthAuthorizationRequest {
  provider: Provider;
  baseUrl?: string;
  oauthAppId?: string;
  /** the gateway's `GET /v1/oauth/callback`, as the provider must call it */
  redirectUri: string;
}

export interface CreatedOAuthAuthorization extends OAuthAuthorizationRecord {
  authorizeUrl: string;
}

/** What the provider sent the browser back with. */
export interface OAuthCallbackRequest {
  state: string;
  code?: string;
  error?: string;
  errorDescription?: string;
}

/** What the browser is told (no tenant data beyond the authorization's own id). */
export interface BrowserFlowResult {
  ok: boolean;
  /** the authorization or installation this callback finished */
  id: string | null;
  title: string;
  detail: string;
}

export type GitHubAppSlotRef = 'main' | number;

export interface GitHubAppRecord {
  slot: GitHubAppSlotRef;
  appId: number;
  slug: string;
  apiBaseUrl: string;
}

export type GitHubAppInstallationStatus = 'pending' | 'installed' | 'refused' | 'used';

export interface GitHubAppRefusal {
  /** which of the seed's two conditions failed (null: another reason, e.g. an unknown installation) */
  condition: 1 | 2 | null;
  code: string;
  detail: string;
}

export interface GitHubAppInstallationRecord {
  id: string;
  appSlot: GitHubAppSlotRef;
  /** additional apps: the organization the installation adds a credential to */
  organizationId: string | null;
  status: GitHubAppInstallationStatus;
  installationId: number | null;
  account: { id: number; login: string; type: string } | null;
  refusal: GitHubAppRefusal | null;
  expiresAt: string;
  createdAt: string;
  completedAt: string | null;
}

export interface StartGitHubAppInstallationRequest {
  appSlot: GitHubAppSlotRef;
  organizationId?: string;
}

export interface StartedGitHubAppInstallation extends GitHubAppInstallationRecord {
  installUrl: string;
}

export interface GitHubAppCallbackRequest {
  state: string;
  installationId?: number;
  setupAction?: string;
}
