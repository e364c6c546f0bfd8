import type { OAuthAppRecord, OrganizationDefaults } from '@repovault/contracts/internal-api';
import type { OAuthAppEntity } from './oauth-app.entity';

export function organizationDefaultsOf(entity: OAuthAppEntity): OrganizationDefaults {
  return {
    autoAddNewRepositories: entity.autoAddNewRepositories,
    includeGroups: entity.includeGroups,
    sync: entity.sync,
    defaultWorkerPool: entity.defaultWorkerPool,
  };
}

export function toOAuthAppRecord(entity: OAuthAppEntity): OAuthAppRecord {
  return {
    id: entity.id,
    provider: entity.provider,
    baseUrl: entity.baseUrl,
    apiBaseUrl: entity.apiBaseUrl,
    clientId: entity.clientId,
    clientSecretId: entity.clientSecretId,
    ...organizationDefaultsOf(entity),
    createdAt: entity.createdAt.toISOString(),
  };
}
