import type { CredentialRecord, IncludeSettings, PlanCredentialPolicy, PlanRecord } from '@repovault/contracts/internal-api';
import type { PlanEntity } from './plan.entity';

export const INCLUDE_EVERYTHING: IncludeSettings = {
  git: true, lfs: true, wiki: true, issues: true, pullRequests: true, comments: true, releases: true, labels: true, milestones: true,
};

const METADATA_SETTINGS: readonly (keyof IncludeSettings)[] = ['issues', 'pullRequests', 'comments', 'releases', 'labels', 'milestones'];

export function toPlanRecord(entity: PlanEntity, warnings: string[], nextRunAt: string | null): PlanRecord {
  return {
    id: entity.id,
    organizationId: entity.organizationId,
    name: entity.name,
    isDefault: entity.isDefault,
    repositories: entity.repositories,
    include: entity.include,
    schedule: entity.schedule,
    retention: { keepLast: entity.keepLast },
    advanced: { additionalCredentials: { enabled: entity.additionalCredentialsEnabled, credentialIds: entity.credentialIds } },
    workerPool: entity.workerPool,
    warnings,
    nextRunAt: entity.schedule ? nextRunAt : null,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

export function toCredentialPolicy(entity: PlanEntity): PlanCredentialPolicy {
  return {
    planId: entity.id,
    organizationId: entity.organizationId,
    additionalCredentials: { enabled: entity.additionalCredentialsEnabled, credentialIds: entity.credentialIds },
  };
}

/**
 * Says which credentials the plan will use that cannot read the metadata it includes: the main
 * credential always, additional ones when the switch is on and they are toggled on.
 */
export function metadataWarnings(plan: Pick<PlanEntity, 'include' | 'additionalCredentialsEnabled' | 'credentialIds'>, credentials: readonly CredentialRecord[]): string[] {
  const kinds = METADATA_SETTINGS.filter((key) => plan.include[key]);
  if (kinds.length === 0) return [];
  const enabled = new Set(plan.additionalCredentialsEnabled ? plan.credentialIds : []);
  return credentials
    .filter((c) => (c.role === 'main' || enabled.has(c.id)) && !c.capabilities.metadata)
    .map((c) => {
      const label = c.identity?.login ?? c.username ?? c.email ?? c.id;
      const fix = c.role === 'main' ? 'grant it the permissions metadata needs' : 'grant it the permissions metadata needs, or toggle it off in advanced.additionalCredentials';
      return `The ${c.role} credential ${label} (${c.id}) cannot read metadata, but this plan includes ${kinds.join(', ')}: ${fix}.`;
    });
}
