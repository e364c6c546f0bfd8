import type { OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import type { OrganizationView, RepositoryView } from './organizations.dto';

/** The public shape: no tenant ids, no derived API URLs. */
export function toOrganizationView(record: OrganizationRecord): OrganizationView {
  return {
    id: record.id,
    provider: record.provider,
    baseUrl: record.baseUrl,
    name: record.name,
    status: record.status,
    auth: record.auth,
    mainCredentialId: record.mainCredentialId,
    autoAddNewRepositories: record.autoAddNewRepositories,
    includeGroups: record.includeGroups,
    sync: record.sync,
    defaultWorkerPool: record.defaultWorkerPool,
    defaultPlanId: record.defaultPlanId,
    repositoryCount: record.repositoryCount,
    lastSyncedAt: record.lastSyncedAt,
    syncError: record.syncError,
    createdAt: record.createdAt,
  };
}

export function toRepositoryView(record: RepositoryRecord): RepositoryView {
  return {
    id: record.id,
    fullName: record.fullName,
    defaultBranch: record.defaultBranch,
    private: record.private,
    archived: record.archived,
    status: record.status,
    sizeKb: record.sizeKb,
    lastPushedAt: record.lastPushedAt,
    discoveredAt: record.discoveredAt,
  };
}
