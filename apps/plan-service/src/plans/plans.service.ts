import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  CredentialRecord, IncludeSettings, PlanCredentialPolicy, PlanRecord, RepositorySelection,
} from '@repovault/contracts/internal-api';
import { type FieldError, type Page, ProblemException, decodeCursor, relayUpstreamError, toPage } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import { randomUUID } from 'node:crypto';
import { type EntityTarget, IsNull, type ObjectLiteral, type QueryDeepPartialEntity, type Repository } from 'typeorm';
import { CredentialServiceClient } from '../upstream/credential-service.client';
import { OrgServiceClient } from '../upstream/org-service.client';
import { INCLUDE_EVERYTHING, metadataWarnings, toCredentialPolicy, toPlanRecord } from './plan-record';
import { defaultPlanHour, planScheduleFrom } from './plan-schedule';
import { PlanScheduler } from './plan-scheduler';
import { PlanEntity } from './plan.entity';
import type { CreatePlanBody, IncludeBody, RepositoriesBody, UpdatePlanBody } from './plans.dto';

export const DEFAULT_KEEP_LAST = 30;
export const DEFAULT_PLAN_NAME = 'Default plan';

@Injectable()
export class PlansService {
  private readonly logger = new Logger('Plans');

  constructor(
    @InjectRepository(PlanEntity) private readonly plans: Repository<PlanEntity>,
    private readonly organizations: OrgServiceClient,
    private readonly credentials: CredentialServiceClient,
    private readonly scheduler: PlanScheduler,
    private readonly producer: JobProducer,
  ) {}

  async create(tenantId: string, body: CreatePlanBody): Promise<PlanRecord> {
    await this.organizations.organization(tenantId, body.organizationId).catch(relayUpstreamError);
    const entity = this.plans.create({
      id: randomUUID(),
      tenantId,
      organizationId: body.organizationId,
      name: body.name,
      isDefault: false,
      repositories: selectionFrom(body.repositories),
      include: { ...INCLUDE_EVERYTHING, ...definedOnly(body.include) },
      schedule: planScheduleFrom(body.schedule ?? null),
      keepLast: body.retention?.keepLast ?? DEFAULT_KEEP_LAST,
      additionalCredentialsEnabled: body.advanced?.additionalCredentials?.enabled ?? false,
      credentialIds: body.advanced?.additionalCredentials?.credentialIds ?? [],
      workerPool: body.workerPool ?? null,
      createdAt: new Date(),
      deletedAt: null,
    });
    const credentials = await this.checkedCredentials(entity, entity.credentialIds.length > 0);
    await this.plans.save(entity);
    try {
      await this.applySchedule(entity, 'The plan was not created');
    } catch (error) {
      await this.plans.delete({ id: entity.id }); // nothing half-made stays behind
      throw error;
    }
    return this.record(entity, credentials);
  }

  async list(tenantId: string, limit: number, cursor?: string, organizationId?: string): Promise<Page<PlanRecord>> {
    const after = decodeCursor<{ t: string; id: string }>(cursor, ['t', 'id']);
    const query = this.plans.createQueryBuilder('p')
      .where('p.tenant_id = :tenantId AND p.deleted_at IS NULL', { tenantId })
      .orderBy('p.created_at', 'ASC').addOrderBy('p.id', 'ASC').limit(limit + 1);
    if (organizationId) query.andWhere('p.organization_id = :organizationId', { organizationId });
    if (after) query.andWhere('(p.created_at, p.id) > (:t, :id)', { t: after.t, id: after.id });
    const rows = await query.getMany();
    const shown = rows.slice(0, limit);
    const [nextRuns, credentialsByOrg] = await Promise.all([
      this.scheduler.nextRunAt(shown.filter((p) => p.schedule).map((p) => p.id)),
      this.credentialsByOrganization(tenantId, [...new Set(shown.map((p) => p.organizationId))]),
    ]);
    return toPage(
      rows,
      limit,
      (p) => toPlanRecord(p, metadataWarnings(p, credentialsByOrg.get(p.organizationId) ?? []), nextRuns.get(p.id) ?? null),
      (p) => ({ t: p.createdAt.toISOString(), id: p.id }),
    );
  }

  async get(tenantId: string, id: string): Promise<PlanRecord> {
    const entity = await this.entity(tenantId, id);
    return this.record(entity, await this.credentialsForWarnings(entity));
  }

  async update(tenantId: string, id: string, body: UpdatePlanBody): Promise<PlanRecord> {
    const entity = await this.entity(tenantId, id);
    const scheduleChanged = body.schedule !== undefined;
    if (body.name !== undefined) entity.name = body.name;
    if (body.repositories !== undefined) entity.repositories = selectionFrom(body.repositories);
    if (body.include !== undefined) entity.include = { ...entity.include, ...definedOnly(body.include) };
    if (body.schedule !== undefined) entity.schedule = planScheduleFrom(body.schedule);
    if (body.retention !== undefined) entity.keepLast = body.retention.keepLast;
    const additional = body.advanced?.additionalCredentials;
    if (additional?.enabled !== undefined) entity.additionalCredentialsEnabled = additional.enabled;
    if (additional?.credentialIds !== undefined) entity.credentialIds = additional.credentialIds;
    if (body.workerPool !== undefined) entity.workerPool = body.workerPool;
    // the list is checked when it changes; credential.removed keeps stored lists clean
    const credentials = await this.checkedCredentials(entity, (additional?.credentialIds?.length ?? 0) > 0);
    await this.plans.save(entity);
    if (scheduleChanged) await this.applySchedule(entity, 'The plan was saved but its schedule was not changed; send the same PATCH again');
    return this.record(entity, credentials);
  }

  /**
   * Soft delete: its runs and snapshots keep naming it. The default plan stays: the organization
   * points at it, and a schedule of null stops it just as well.
   */
  async remove(tenantId: string, id: string): Promise<void> {
    const entity = await this.entity(tenantId, id);
    if (entity.isDefault) {
      throw ProblemException.conflict('default-plan', "The organization's default plan cannot be deleted; set its schedule to null to stop it, or delete the organization.");
    }
    await this.plans.update({ id, tenantId }, { deletedAt: new Date() });
    await this.scheduler.remove(id);
  }

  /** What credential-service needs to choose credentials for a run; answered for deleted plans too (their runs may still be going). */
  async credentialPolicy(tenantId: string, id: string): Promise<PlanCredentialPolicy> {
    const entity = await this.plans.findOneBy({ id, tenantId });
    if (!entity) throw ProblemException.notFound('Plan');
    return toCredentialPolicy(entity);
  }

  /**
   * The organization's default plan (all repositories, everything included, daily at an hour spread
   * over organizations, main credential only). Idempotent: a redelivered event finds the plan the
   * first delivery made (unique index), and announces it again so org-service hears it at least once.
   */
  async createDefault(tenantId: string, organizationId: string): Promise<PlanEntity> {
    let entity = await this.plans.findOneBy({ organizationId, isDefault: true });
    if (!entity) {
      const candidate = this.plans.create({
        id: randomUUID(),
        tenantId,
        organizationId,
        name: DEFAULT_PLAN_NAME,
        isDefault: true,
        repositories: { mode: 'all', exclude: [] },
        include: { ...INCLUDE_EVERYTHING },
        schedule: { hours: [defaultPlanHour(organizationId)] },
        keepLast: DEFAULT_KEEP_LAST,
        additionalCredentialsEnabled: false,
        credentialIds: [],
        workerPool: null,
        createdAt: new Date(),
        deletedAt: null,
      });
      // a concurrent delivery may win the unique index: then its plan is the one
      await insertUnlessConflicting(this.plans, PlanEntity, candidate);
      entity = await this.plans.findOneByOrFail({ organizationId, isDefault: true });
    }
    if (entity.tenantId !== tenantId) throw new Error(`organization ${organizationId} belongs to another tenant`);
    if (!entity.deletedAt) {
      await this.scheduler.apply(tenantId, entity.id, entity.schedule);
      await this.producer.publish({ type: 'default-plan.created', tenantId, organizationId, planId: entity.id });
    }
    return entity;
  }

  /** The organization is gone: its plans are hidden and their schedules stop. */
  async removeOrganizationPlans(tenantId: string, organizationId: string): Promise<void> {
    const plans = await this.plans.findBy({ tenantId, organizationId });
    await this.plans.update({ tenantId, organizationId, deletedAt: IsNull() }, { deletedAt: new Date() });
    for (const plan of plans) await this.scheduler.remove(plan.id);
    this.logger.log({ organizationId, plans: plans.length }, 'plans of a deleted organization removed');
  }

  /** A removed credential disappears from every plan's list (deleted plans too). */
  async dropCredential(tenantId: string, credentialId: string): Promise<number> {
    const result = await this.plans.createQueryBuilder()
      .update(PlanEntity)
      .set({ credentialIds: () => 'array_remove(credential_ids, CAST(:credentialId AS uuid))' })
      .where('tenant_id = :tenantId AND CAST(:credentialId AS uuid) = ANY(credential_ids)', { tenantId, credentialId })
      .execute();
    return result.affected ?? 0;
  }

  async entity(tenantId: string, id: string): Promise<PlanEntity> {
    const entity = await this.plans.findOneBy({ id, tenantId, deletedAt: IsNull() });
    if (!entity) throw ProblemException.notFound('Plan');
    return entity;
  }

  private async applySchedule(entity: PlanEntity, consequence: string): Promise<void> {
    try {
      await this.scheduler.apply(entity.tenantId, entity.id, entity.schedule);
    } catch (error) {
      this.logger.warn({ planId: entity.id, err: error }, 'plan schedule could not be set');
      throw ProblemException.unavailable('scheduler-unavailable', `${consequence}: the scheduler (Redis) is unavailable; try again shortly.`);
    }
  }

  private async record(entity: PlanEntity, credentials: readonly CredentialRecord[]): Promise<PlanRecord> {
    const next = entity.schedule ? await this.scheduler.nextRunAt([entity.id]) : new Map<string, string>();
    return toPlanRecord(entity, metadataWarnings(entity, credentials), next.get(entity.id) ?? null);
  }

  /**
   * Every listed credential must be a live additional credential of the plan's organization (422
   * naming the id otherwise). Returns the organization's credentials for the warnings.
   */
  private async checkedCredentials(entity: PlanEntity, validate: boolean): Promise<CredentialRecord[]> {
    if (!validate) return this.credentialsForWarnings(entity);
    const known = await this.credentials.credentials(entity.tenantId, entity.organizationId).catch(relayUpstreamError);
    const errors: FieldError[] = [];
    entity.credentialIds.forEach((id, index) => {
      const field = `advanced.additionalCredentials.credentialIds[${index}]`;
      const credential = known.find((c) => c.id === id);
      if (!credential || credential.organizationId !== entity.organizationId || credential.status === 'revoked') {
        errors.push({ field, message: `credential ${id} is not a credential of organization ${entity.organizationId} (or it was removed)` });
      } else if (credential.role === 'main') {
        errors.push({ field, message: `credential ${id} is the organization's main credential, which every plan uses; list additional credentials only` });
      }
    });
    if (errors.length > 0) {
      throw ProblemException.unprocessable('credential-not-allowed', `${errors.map((e) => e.message).join('; ')}.`, { title: 'Credential not allowed', errors });
    }
    return known;
  }

  /** For warnings only: a plan is still readable while credential-service is away (no warnings then). */
  private async credentialsForWarnings(entity: PlanEntity): Promise<CredentialRecord[]> {
    const map = await this.credentialsByOrganization(entity.tenantId, [entity.organizationId]);
    return map.get(entity.organizationId) ?? [];
  }

  private async credentialsByOrganization(tenantId: string, organizationIds: string[]): Promise<Map<string, CredentialRecord[]>> {
    const out = new Map<string, CredentialRecord[]>();
    await Promise.all(
      organizationIds.map(async (organizationId) => {
        try {
          out.set(organizationId, await this.credentials.credentials(tenantId, organizationId));
        } catch (error) {
          this.logger.debug({ organizationId, err: error }, 'credentials unavailable; plan warnings left out');
        }
      }),
    );
    return out;
  }
}

function selectionFrom(body: RepositoriesBody | undefined): RepositorySelection {
  if (!body) return { mode: 'all', exclude: [] };
  if (body.mode === 'all') {
    if (body.ids !== undefined) throw ProblemException.badRequest('repositories.ids goes with mode "selected"; use exclude with mode "all".', [{ field: 'repositories.ids', message: 'ids is only for mode "selected"' }]);
    return { mode: 'all', exclude: body.exclude ?? [] };
  }
  if (body.exclude !== undefined) throw ProblemException.badRequest('repositories.exclude goes with mode "all".', [{ field: 'repositories.exclude', message: 'exclude is only for mode "all"' }]);
  if (!body.ids) throw ProblemException.badRequest('repositories.ids is required with mode "selected".', [{ field: 'repositories.ids', message: 'list the repository ids to back up' }]);
  return { mode: 'selected', ids: body.ids };
}

function definedOnly(body: IncludeBody | undefined): Partial<IncludeSettings> {
  return Object.fromEntries(Object.entries(body ?? {}).filter(([, v]) => v !== undefined)) as Partial<IncludeSettings>;
}

/** INSERT … ON CONFLICT DO NOTHING: true when the row went in, false when a unique index already held its twin. */
export async function insertUnlessConflicting<T extends ObjectLiteral>(repository: Repository<T>, target: EntityTarget<T>, row: T): Promise<boolean> {
  const result = await repository.createQueryBuilder().insert().into(target).values(row as QueryDeepPartialEntity<T>).orIgnore().returning('id').execute();
  return (result.raw as unknown[]).length > 0;
}
