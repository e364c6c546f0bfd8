import { ServiceName } from './queue-names';

/** What services tell each other. Ids only. */
export type DomainEvent =
  | { type: 'organization.created'; tenantId: string; organizationId: string; defaultWorkerPool: string }
  | { type: 'organization.deleted'; tenantId: string; organizationId: string }
  | { type: 'repositories.discovered'; tenantId: string; organizationId: string; added: number; deleted: number }
  | { type: 'credential.added'; tenantId: string; organizationId: string; credentialId: string }
  | { type: 'credential.invalidated'; tenantId: string; organizationId: string; credentialId: string; reason: 'unauthorized' | 'revoked' }
  | { type: 'credential.removed'; tenantId: string; organizationId: string; credentialId: string }
  | { type: 'run.repository-finished'; tenantId: string; runId: string; repositoryId: string }
  | { type: 'default-plan.created'; tenantId: string; organizationId: string; planId: string };

export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

/** Which services receive each event: the publisher enqueues one job per subscriber. */
export const EVENT_SUBSCRIBERS: Readonly<Record<DomainEventType, readonly ServiceName[]>> = {
  'organization.created': [ServiceName.PlanService],
  'organization.deleted': [ServiceName.PlanService, ServiceName.CredentialService],
  'repositories.discovered': [],
  'credential.added': [],
  'credential.invalidated': [ServiceName.OrgService],
  'credential.removed': [ServiceName.PlanService],
  'run.repository-finished': [],
  'default-plan.created': [ServiceName.OrgService],
};
