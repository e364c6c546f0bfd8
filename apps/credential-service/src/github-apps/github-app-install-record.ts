import type { GitHubAppInstallationRecord } from '@repovault/contracts/internal-api';
import type { GitHubAppInstallEntity } from './github-app-install.entity';
import { slotRef } from './github-app-registry';

export function toGitHubAppInstallationRecord(entity: GitHubAppInstallEntity): GitHubAppInstallationRecord {
  return {
    id: entity.id,
    appSlot: slotRef(entity.appSlot),
    organizationId: entity.organizationId,
    status: entity.status,
    installationId: entity.installationId,
    account: entity.accountId !== null && entity.accountLogin ? { id: entity.accountId, login: entity.accountLogin, type: entity.accountType ?? 'Organization' } : null,
    refusal: entity.refusalCode
      ? { condition: entity.refusalCondition === 1 || entity.refusalCondition === 2 ? entity.refusalCondition : null, code: entity.refusalCode, detail: entity.refusalDetail ?? '' }
      : null,
    expiresAt: entity.expiresAt.toISOString(),
    createdAt: entity.createdAt.toISOString(),
    completedAt: entity.completedAt?.toISOString() ?? null,
  };
}
