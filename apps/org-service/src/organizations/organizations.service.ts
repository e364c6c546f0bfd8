import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { OrganizationDefaults, OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import { JobName } from '@repovault/contracts/jobs';
import { ProblemException, UpstreamProblemError, relayUpstreamError, toPage, type Page, decodeCursor } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import { isProviderSupported, providerSupport } from '@repovault/providers/catalog';
import { EgressBlockedError, checkBaseUrl } from '@repovault/providers/core';
import { randomUUID } from 'node:crypto';
import { In, type Repository } from 'typeorm';
import { ORG_SERVICE_CONFIG, type OrgServiceConfig } from '../config/org-service.config';
import { CredentialServiceClient } from '../credentials/credential-service.client';
import { RepositoryEntity } from '../repositories/repository.entity';
import { type DiscoveryResult, RepositoryDiscovery } from '../sync/repository-discovery';
import { syncRepeat, syncScheduleFrom } from '../sync/sync-schedule';
import { OrganizationEntity } from './organization.entity';
import { toOrganizationRecord, toRepositoryRecord } from './organization-record';
import { type CreateOrganizationBody, type UpdateOrganizationBody, authOf } from './organizations.dto';

@Injectable()
export class OrganizationsService {
  private readonly logger = new Logger('Organizations');

  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(RepositoryEntity) private readonly repositories: Repository<RepositoryEntity>,
    private readonly credentials: CredentialServiceClient,
    private readonly discovery: RepositoryDiscovery,
    private readonly producer: JobProducer,
    @Inject(ORG_SERVICE_CONFIG) private readonly config: OrgServiceConfig,
  ) {}

  /**
   * Onboarding by token, OAuth authorization or main GitHub App installation: the main credential
   * is validated against the provider (by credential-service) before the organization is stored;
   * then repositories are discovered, the sync schedule is set and plan-service hears that the
   * organization exists.
   */
  async create(tenantId: string, body: CreateOrganizationBody): Promise<OrganizationRecord> {
    if (!isProviderSupported(body.provider)) throw ProblemException.unprocessable('provider-not-supported', `The ${body.provider} provider is not supported yet.`);
    const support = providerSupport(body.provider);
    const onboarding = await this.onboardingSettings(tenantId, body);
    const baseUrl = body.baseUrl ?? onboarding.baseUrl ?? undefined;
    if (support.baseUrlRequired && !baseUrl) throw ProblemException.badRequest(`baseUrl is required for ${support.displayName}.`, [{ field: 'baseUrl', message: 'baseUrl is required' }]);
    const apiBaseUrl = support.apiBaseUrl(baseUrl ?? null);
    try {
      await checkBaseUrl(apiBaseUrl, { allowPrivateAddresses: this.config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
    } catch (error) {
      if (error instanceof EgressBlockedError) throw ProblemException.unprocessable('base-url-not-allowed', `The base URL is not allowed: ${error.message}.`);
      throw error;
    }
    const defaults = onboarding.defaults;
    const sync = !body.sync && defaults?.sync ? defaults.sync : syncScheduleFrom(body.sync);
    const duplicate = await this.organizations.existsBy({ tenantId, provider: body.provider, apiBaseUrl, name: body.name, status: 'active' });
    if (duplicate) throw ProblemException.conflict('organization-exists', `${support.displayName} organization "${body.name}" is already connected.`);

    const id = randomUUID();
    const credential = await this.credentials
      .createMain(tenantId, { id, provider: body.provider, apiBaseUrl, name: body.name }, authOf(body.auth))
      .catch(relayUpstreamError);
    let entity: OrganizationEntity;
    try {
      entity = await this.organizations.save(this.organizations.create({
        id,
        tenantId,
        provider: body.provider,
        baseUrl: baseUrl ?? null,
        apiBaseUrl,
        name: body.name,
        status: 'active',
        authMethod: body.auth.method,
        // OAuth and GitHub App onboarding: the account that granted access or the app was installed on
        authUsername: body.auth.method === 'token' ? (body.auth.username ?? null) : (credential.identity?.login ?? null),
        authEmail: body.auth.email ?? null,
        mainCredentialId: credential.id,
        autoAddNewRepositories: body.autoAddNewRepositories ?? defaults?.autoAddNewRepositories ?? true,
        includeGroups: body.includeGroups ?? defaults?.includeGroups ?? false,
        sync,
        defaultWorkerPool: body.defaultWorkerPool ?? defaults?.defaultWorkerPool ?? 'default',
        defaultPlanId: null,
        lastSyncedAt: null,
        syncError: null,
        deletedAt: null,
      }));
    } catch (error) {
      await this.credentials.remove(tenantId, id, credential.id).catch(() => undefined);
      throw error;
    }
    // a failed first discovery is recorded on the organization and retried by its schedule
    await this.syncNow(entity).catch(() => undefined);
    await this.producer.upsertSchedule(this.schedulerId(entity.id), { name: JobName.OrganizationSync, data: { tenantId, organizationId: entity.id } }, syncRepeat(sync));
    await this.producer.publish({ type: 'organization.created', tenantId, organizationId: entity.id, defaultWorkerPool: entity.defaultWorkerPool });
    return this.record(await this.entity(tenantId, entity.id));
  }

  /**
   * An OAuth authorization says which provider and instance it granted access to, and (advanced
   * mode) the organization settings chosen with the tenant's OAuth application.
   */
  private async onboardingSettings(tenantId: string, body: CreateOrganizationBody): Promise<{ baseUrl: string | null; defaults: OrganizationDefaults | null }> {
    if (body.auth.method !== 'oauth' || !body.auth.authorizationId) return { baseUrl: null, defaults: null };
    let authorization;
    try {
      authorization = await this.credentials.authorization(tenantId, body.auth.authorizationId);
    } catch (error) {
      if (error instanceof UpstreamProblemError && error.problem.status === 404) {
        throw ProblemException.unprocessable('authorization-not-found', 'auth.authorizationId does not name an OAuth authorization of this tenant: start one with POST /v1/oauth/authorizations.');
      }
      relayUpstreamError(error);
    }
    if (authorization.provider !== body.provider) {
      throw ProblemException.unprocessable('authorization-mismatch', `The OAuth authorization is for ${authorization.provider}, not ${body.provider}.`);
    }
    return { baseUrl: authorization.baseUrl, defaults: authorization.organizationDefaults };
  }

  /** Discovery now; failures are recorded on the organization and retried by the schedule. */
  async syncNow(entity: OrganizationEntity): Promise<DiscoveryResult> {
    try {
      const result = await this.discovery.discover(entity);
      await this.organizations.update({ id: entity.id }, { lastSyncedAt: new Date(), syncError: null });
      await this.producer.publish({ type: 'repositories.discovered', tenantId: entity.tenantId, organizationId: entity.id, added: result.added, deleted: result.deleted });
      return result;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ organizationId: entity.id, err: error }, 'repository discovery failed');
      await this.organizations.update({ id: entity.id }, { syncError: message });
      throw error;
    }
  }

  /** Discovery now, answered when done (a run's listing). */
  async discoverNow(tenantId: string, id: string): Promise<DiscoveryResult> {
    return this.syncNow(await this.entity(tenantId, id));
  }

  async requestSync(tenantId: string, id: string): Promise<void> {
    await this.entity(tenantId, id);
    // one pending sync per organization is enough
    await this.producer.enqueue({ name: JobName.OrganizationSync, data: { tenantId, organizationId: id } }, { deduplication: { id: `sync-${id}` } });
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<OrganizationRecord>> {
    const after = decodeCursor<{ id: string }>(cursor, ['id']);
    const query = this.organizations.createQueryBuilder('o').where('o.tenant_id = :tenantId AND o.status = :status', { tenantId, status: 'active' }).orderBy('o.id', 'ASC').limit(limit + 1);
    if (after) query.andWhere('o.id > :after', { after: after.id });
    const rows = await query.getMany();
    const counts = await this.activeRepositoryCounts(rows.map((r) => r.id));
    return toPage(rows, limit, (r) => toOrganizationRecord(r, counts.get(r.id) ?? 0), (r) => ({ id: r.id }));
  }

  async get(tenantId: string, id: string): Promise<OrganizationRecord> {
    return this.record(await this.entity(tenantId, id));
  }

  async update(tenantId: string, id: string, body: UpdateOrganizationBody): Promise<OrganizationRecord> {
    const entity = await this.entity(tenantId, id);
    if (body.sync) {
      entity.sync = syncScheduleFrom(body.sync);
      await this.producer.upsertSchedule(this.schedulerId(id), { name: JobName.OrganizationSync, data: { tenantId, organizationId: id } }, syncRepeat(entity.sync));
    }
    if (body.autoAddNewRepositories !== undefined) entity.autoAddNewRepositories = body.autoAddNewRepositories;
    if (body.includeGroups !== undefined) entity.includeGroups = body.includeGroups;
    if (body.defaultWorkerPool !== undefined) entity.defaultWorkerPool = body.defaultWorkerPool;
    await this.organizations.save(entity);
    return this.record(entity);
  }

  /** Stops the schedules and hides the organization; its snapshots stay until retention or a purge. */
  async remove(tenantId: string, id: string): Promise<void> {
    const entity = await this.entity(tenantId, id);
    await this.organizations.update({ id }, { status: 'deleted', deletedAt: new Date() });
    await this.producer.removeSchedule(JobName.OrganizationSync, this.schedulerId(id));
    await this.producer.publish({ type: 'organization.deleted', tenantId, organizationId: entity.id });
  }

  /** The main credential stopped working: say so on the organization until it is fixed. */
  async noteInvalidCredential(tenantId: string, id: string, credentialId: string): Promise<void> {
    await this.organizations.update({ id, tenantId, mainCredentialId: credentialId }, { syncError: 'the main credential is no longer valid; replace its secret value' });
  }

  async setDefaultPlan(tenantId: string, id: string, planId: string): Promise<void> {
    await this.organizations.update({ id, tenantId }, { defaultPlanId: planId });
  }

  async repositoriesOf(tenantId: string, organizationId: string, limit: number, cursor?: string, status?: 'active' | 'deleted'): Promise<Page<RepositoryRecord>> {
    await this.entity(tenantId, organizationId);
    const after = decodeCursor<{ n: string; id: string }>(cursor, ['n', 'id']);
    const query = this.repositories.createQueryBuilder('r')
      .where('r.tenant_id = :tenantId AND r.organization_id = :organizationId', { tenantId, organizationId })
      .orderBy('r.full_name', 'ASC').addOrderBy('r.id', 'ASC').limit(limit + 1);
    if (status) query.andWhere('r.status = :status', { status });
    if (after) query.andWhere('(r.full_name, r.id) > (:n, :id)', { n: after.n, id: after.id });
    return toPage(await query.getMany(), limit, toRepositoryRecord, (r) => ({ n: r.fullName, id: r.id }));
  }

  async repository(tenantId: string, id: string): Promise<RepositoryRecord> {
    const entity = await this.repositories.findOneBy({ id, tenantId });
    if (!entity) throw ProblemException.notFound('Repository');
    return toRepositoryRecord(entity);
  }

  async entity(tenantId: string, id: string): Promise<OrganizationEntity> {
    const entity = await this.organizations.findOneBy({ id, tenantId, status: 'active' });
    if (!entity) throw ProblemException.notFound('Organization');
    return entity;
  }

  private async record(entity: OrganizationEntity): Promise<OrganizationRecord> {
    const counts = await this.activeRepositoryCounts([entity.id]);
    return toOrganizationRecord(entity, counts.get(entity.id) ?? 0);
  }

  private async activeRepositoryCounts(ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.repositories.createQueryBuilder('r')
      .select('r.organization_id', 'id').addSelect('COUNT(*)', 'count')
      .where({ organizationId: In(ids), status: 'active' }).groupBy('r.organization_id').getRawMany<{ id: string; count: string }>();
    return new Map(rows.map((r) => [r.id, Number(r.count)]));
  }

  private schedulerId(organizationId: string): string {
    return `org-sync-${organizationId}`;
  }
}
