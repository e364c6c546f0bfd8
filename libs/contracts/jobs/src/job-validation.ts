import { type DomainEvent, EVENT_SUBSCRIBERS } from './domain-events';
import { JobName, type JobItem, type JobPayloads } from './job-payloads';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type FieldKind = 'uuid' | 'pool' | 'count' | 'reason';
type Shape = Readonly<Record<string, FieldKind>>;

const JOB_SHAPES: Readonly<Record<Exclude<JobName, typeof JobName.DomainEvent>, Shape>> = {
  [JobName.RunStart]: { tenantId: 'uuid', runId: 'uuid' },
  [JobName.RepositoryBackup]: { tenantId: 'uuid', runId: 'uuid', repositoryId: 'uuid' },
  [JobName.RestoreRun]: { tenantId: 'uuid', restoreId: 'uuid' },
  [JobName.PlanScheduleDue]: { tenantId: 'uuid', planId: 'uuid' },
  [JobName.OrganizationSync]: { tenantId: 'uuid', organizationId: 'uuid' },
};

const EVENT_SHAPES: Readonly<Record<DomainEvent['type'], Shape>> = {
  'organization.created': { tenantId: 'uuid', organizationId: 'uuid', defaultWorkerPool: 'pool' },
  'organization.deleted': { tenantId: 'uuid', organizationId: 'uuid' },
  'repositories.discovered': { tenantId: 'uuid', organizationId: 'uuid', added: 'count', deleted: 'count' },
  'credential.added': { tenantId: 'uuid', organizationId: 'uuid', credentialId: 'uuid' },
  'credential.invalidated': { tenantId: 'uuid', organizationId: 'uuid', credentialId: 'uuid', reason: 'reason' },
  'credential.removed': { tenantId: 'uuid', organizationId: 'uuid', credentialId: 'uuid' },
  'run.repository-finished': { tenantId: 'uuid', runId: 'uuid', repositoryId: 'uuid' },
  'default-plan.created': { tenantId: 'uuid', organizationId: 'uuid', planId: 'uuid' },
};

export class InvalidJobPayloadError extends Error {
  constructor(job: string, problem: string) {
    super(`invalid payload for job ${job}: ${problem}`);
    this.name = 'InvalidJobPayloadError';
  }
}

function checkField(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'pool':
      return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,39}$/.test(value);
    case 'count':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0;
    case 'reason':
      return value === 'unauthorized' || value === 'revoked';
  }
}

function checkShape(job: string, shape: Shape, data: unknown, ignore: readonly string[] = []): void {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InvalidJobPayloadError(job, 'payload must be an object');
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    // unknown keys are refused: a payload carries the listed ids and nothing else (never a secret)
    if (!(key in shape) && !ignore.includes(key)) throw new InvalidJobPayloadError(job, `unexpected field "${key}"`);
  }
  for (const [key, kind] of Object.entries(shape)) {
    if (!checkField(kind, record[key])) throw new InvalidJobPayloadError(job, `field "${key}" must be a ${kind}`);
  }
}

/** Validates a job before it is enqueued and again before it runs. */
export function assertValidJob<N extends JobName>(name: N, data: unknown): asserts data is JobPayloads[N] {
  if (name === JobName.DomainEvent) {
    const type = (data as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !(type in EVENT_SUBSCRIBERS)) {
      throw new InvalidJobPayloadError(name, `unknown event type ${JSON.stringify(type)}`);
    }
    checkShape(`${name}:${type}`, EVENT_SHAPES[type as DomainEvent['type']], data, ['type']);
    return;
  }
  const shape = JOB_SHAPES[name as Exclude<JobName, typeof JobName.DomainEvent>];
  if (!shape) throw new InvalidJobPayloadError(name, 'unknown job name');
  checkShape(name, shape, data);
}

export function isJobItem(value: { name: string; data: unknown }): value is JobItem {
  try {
    assertValidJob(value.name as JobName, value.data);
    return true;
  } catch {
    return false;
  }
}
