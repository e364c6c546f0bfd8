import type { OAuthAuthorizationRecord, OrganizationDefaults } from '@repovault/contracts/internal-api';
import type { OAuthAuthorizationEntity } from './oauth-authorization.entity';

export function toOAuthAuthorizationRecord(entity: OAuthAuthorizationEntity, defaults: OrganizationDefaults | null): OAuthAuthorizationRecord {
  return {
    id: entity.id,
    provider: entity.provider,
    baseUrl: entity.baseUrl,
    apiBaseUrl: entity.apiBaseUrl,
    oauthAppId: entity.oauthAppId,
    status: entity.status,
    failureReason: entity.failureReason,
    account: entity.accountLogin && entity.identityKey ? { login: entity.accountLogin, identityKey: entity.identityKey } : null,
    expiresAt: entity.expiresAt.toISOString(),
    createdAt: entity.createdAt.toISOString(),
    completedAt: entity.completedAt?.toISOString() ?? null,
    organizationDefaults: defaults,
  };
}
