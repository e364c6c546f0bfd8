/** org-service's internal API: organizations and their repositories. */
export type Provider = 'github' | 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';
export type SyncSchedule = { intervalMinutes: number } | { hours: number[] };

export interface OrganizationRecord {
  id: string;
  tenantId: string;
  provider: Provider;
  /** as the user gave it (null for the cloud default) */
  baseUrl: string | null;
  /** where the provider's API answers, derived from baseUrl */
  apiBaseUrl: string;
  name: string;
  status: 'active' | 'deleted';
  auth: { method: 'token' | 'oauth' | 'github-app'; username: string | null; email: string | null };
  mainCredentialId: string | null;
  autoAddNewRepositories: boolean;
  includeGroups: boolean;
  sync: SyncSchedule;
  defaultWorkerPool: string;
  defaultPlanId: string | null;
  repositoryCount: number;
  lastSyncedAt: string | null;
  syncError: string | null;
  createdAt: string;
}

export interface RepositoryRecord {
  id: string;
  organizationId: string;
  providerId: string;
  fullName: string;
  name: string;
  defaultBranch: string | null;
  private: boolean;
  archived: boolean;
  status: 'active' | 'deleted';
  sizeKb: number;
  lastPushedAt: string | null;
  discoveredAt: string;
  hasWiki: boolean;
  /** the issue tracker is enabled; null when the provider does not say */
  hasIssues: boolean | null;
  cloneUrl: string;
}

export interface CreateOrganizationRequest {
  provider: Provider;
  baseUrl?: string;
  name: string;
  auth:
    | { method: 'token'; username?: string; email?: string; secretId?: string; secret?: string }
    | { method: 'oauth'; authorizationId: string }
    | { method: 'github-app'; installationId: number };
  autoAddNewRepositories?: boolean;
  includeGroups?: boolean;
  sync?: SyncSchedule;
  defaultWorkerPool?: string;
}

export type UpdateOrganizationRequest = Partial<Pick<CreateOrganizationRequest, 'autoAddNewRepositories' | 'includeGroups' | 'sync' | 'defaultWorkerPool'>>;
