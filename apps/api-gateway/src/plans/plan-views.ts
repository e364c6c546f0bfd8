import type { PlanRecord } from '@repovault/contracts/internal-api';
import type { PlanView } from './plans.dto';

/** The public shape of a plan (a plan record holds no tenant id; this keeps it that way). */
export function toPlanView(record: PlanRecord): PlanView {
  return {
    id: record.id,
    organizationId: record.organizationId,
    name: record.name,
    isDefault: record.isDefault,
    repositories: record.repositories,
    include: record.include,
    schedule: record.schedule,
    retention: { keepLast: record.retention.keepLast },
    advanced: { additionalCredentials: { enabled: record.advanced.additionalCredentials.enabled, credentialIds: record.advanced.additionalCredentials.credentialIds } },
    workerPool: record.workerPool,
    warnings: record.warnings,
    nextRunAt: record.nextRunAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
