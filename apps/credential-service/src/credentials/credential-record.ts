import type { CredentialRecord } from '@repovault/contracts/internal-api';
import type { CredentialEntity } from './credential.entity';

/** The API view of a credential; `peers` are the organization's other live credentials. */
export function toCredentialRecord(entity: CredentialEntity, peers: readonly CredentialEntity[]): CredentialRecord {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    role: entity.role,
    method: entity.method,
    username: entity.username,
    email: entity.email,
    secretId: entity.secretId,
    identity: entity.identityKey && entity.identityLogin ? { provider: entity.provider, key: entity.identityKey, login: entity.identityLogin } : null,
    tokenKind: entity.tokenKind,
    status: entity.status,
    statusReason: entity.statusReason,
    scopes: entity.scopes,
    rateLimit: entity.rateLimit,
    capabilities: entity.capabilities,
    sharesBudgetWith: entity.identityKey
      ? peers.filter((p) => p.id !== entity.id && p.identityKey === entity.identityKey && !p.removedAt).map((p) => p.id)
      : [],
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
    createdAt: entity.createdAt.toISOString(),
  };
}
