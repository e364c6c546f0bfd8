import type { OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import type { RepositoryEntity } from '../repositories/repository.entity';
import type { OrganizationEntity } from './organization.entity';

export function toOrganizationRecord(entity: OrganizationEntity, repositoryCount: number): OrganizationRecord {
  return {
    id: entity.id,
    tenantId: entity.tenantId,
    provider: entity.provider,
    baseUrl: entity.baseUrl,
    apiBaseUrl: entity.apiBaseUrl,
    name: entity.name,
    status: entity.status,
    auth: { method: entity.authMethod, username: entity.authUsername, email: entity.authEmail },
    mainCredentialId: entity.mainCredentialId,
    autoAddNewRepositories: entity.autoAddNewRepositories,
    includeGroups: entity.includeGroups,
    sync: entity.sync,
    defaultWorkerPool: entity.defaultWorkerPool,
    defaultPlanId: entity.defaultPlanId,
    repositoryCount,
    lastSyncedAt: entity.lastSyncedAt?.toISOString() ?? null,
    syncError: entity.syncError,
    createdAt: entity.createdAt.toISOString(),
  };
}

export function toRepositoryRecord(entity: RepositoryEntity): RepositoryRecord {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    providerId: entity.providerId,
    fullName: entity.fullName,
    name: entity.name,
    defaultBranch: entity.defaultBranch,
    private: entity.private,
    archived: entity.archived,
    status: entity.status,
    sizeKb: entity.sizeKb,
    lastPushedAt: entity.lastPushedAt?.toISOString() ?? null,
    discoveredAt: entity.discoveredAt.toISOString(),
    hasWiki: entity.hasWiki,
    hasIssues: entity.hasIssues,
    cloneUrl: entity.cloneUrl,
  };
}
