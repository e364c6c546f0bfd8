import type { CreatedOAuthAuthorization, OAuthAppRecord, OAuthAuthorizationRecord } from '@repovault/contracts/internal-api';
import type { CreatedOAuthAuthorizationView, OAuthAppView, OAuthAuthorizationView } from './oauth.dto';

export function toOAuthAuthorizationView(record: OAuthAuthorizationRecord): OAuthAuthorizationView {
  return {
    id: record.id,
    provider: record.provider,
    baseUrl: record.baseUrl,
    oauthAppId: record.oauthAppId,
    status: record.status,
    failureReason: record.failureReason,
    account: record.account,
    expiresAt: record.expiresAt,
    createdAt: record.createdAt,
    completedAt: record.completedAt,
    organizationDefaults: record.organizationDefaults,
  };
}

export function toCreatedOAuthAuthorizationView(record: CreatedOAuthAuthorization): CreatedOAuthAuthorizationView {
  return { ...toOAuthAuthorizationView(record), authorizeUrl: record.authorizeUrl };
}

export function toOAuthAppView(record: OAuthAppRecord, redirectUri: string): OAuthAppView {
  return {
    id: record.id,
    provider: record.provider,
    baseUrl: record.baseUrl,
    clientId: record.clientId,
    clientSecretId: record.clientSecretId,
    autoAddNewRepositories: record.autoAddNewRepositories,
    includeGroups: record.includeGroups,
    sync: record.sync,
    defaultWorkerPool: record.defaultWorkerPool,
    redirectUri,
    createdAt: record.createdAt,
  };
}
