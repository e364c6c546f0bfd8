import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { OAuthAppRecord, SyncSchedule } from '@repovault/contracts/internal-api';
import { ProblemException, toPage, type Page } from '@repovault/platform/http';
import { EgressBlockedError, checkBaseUrl } from '@repovault/providers/core';
import { IsNull, type Repository } from 'typeorm';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { ProviderRegistry } from '../providers/provider-registry';
import { SecretsService } from '../secrets/secrets.service';
import { OAuthAppEntity } from './oauth-app.entity';
import { toOAuthAppRecord } from './oauth-app-record';
import type { CreateOAuthAppBody } from './oauth.dto';

/** Exactly one of `intervalMinutes` or `hours`, or nothing (the organization's default applies). */
function syncFrom(body: CreateOAuthAppBody['sync']): SyncSchedule | null {
  if (!body) return null;
  if (body.intervalMinutes !== undefined && body.hours !== undefined) {
    throw ProblemException.badRequest('sync takes either intervalMinutes or hours, not both.', [{ field: 'sync', message: 'give intervalMinutes or hours' }]);
  }
  if (body.intervalMinutes !== undefined) return { intervalMinutes: body.intervalMinutes };
  if (body.hours !== undefined) return { hours: [...body.hours].sort((a, b) => a - b) };
  throw ProblemException.badRequest('sync needs intervalMinutes or hours.', [{ field: 'sync', message: 'give intervalMinutes or hours' }]);
}

/** Advanced mode: a tenant's own OAuth applications, their secrets in the password manager. */
@Injectable()
export class OAuthAppsService {
  constructor(
    @InjectRepository(OAuthAppEntity) private readonly apps: Repository<OAuthAppEntity>,
    private readonly secrets: SecretsService,
    private readonly providers: ProviderRegistry,
    @Inject(CREDENTIAL_SERVICE_CONFIG) private readonly config: CredentialServiceConfig,
  ) {}

  async create(tenantId: string, body: CreateOAuthAppBody): Promise<OAuthAppRecord> {
    const support = this.providers.support(body.provider);
    if (support.baseUrlRequired && !body.baseUrl) {
      throw ProblemException.badRequest(`baseUrl is required for ${support.displayName}: the address of the instance the OAuth application lives on.`, [{ field: 'baseUrl', message: 'baseUrl is required' }]);
    }
    let apiBaseUrl: string;
    try {
      apiBaseUrl = support.apiBaseUrl(body.baseUrl ?? null);
      await checkBaseUrl(apiBaseUrl, { allowPrivateAddresses: this.config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
    } catch (error) {
      if (error instanceof EgressBlockedError) throw ProblemException.unprocessable('base-url-not-allowed', `The base URL is not allowed: ${error.message}.`);
      if (error instanceof TypeError) throw ProblemException.badRequest('baseUrl must be a URL such as https://gitlab.example.com.', [{ field: 'baseUrl', message: 'not a URL' }]);
      throw error;
    }
    const sync = syncFrom(body.sync);
    try {
      await this.secrets.get(tenantId, body.clientSecretId);
    } catch (error) {
      if (error instanceof ProblemException && error.problem.status === 404) {
        throw ProblemException.unprocessable('secret-not-found', 'clientSecretId does not name a secret of this tenant; put the application secret in the password manager (POST /v1/secrets) first.');
      }
      throw error;
    }
    const entity = await this.apps.save(this.apps.create({
      tenantId,
      provider: body.provider,
      baseUrl: body.baseUrl ?? null,
      apiBaseUrl,
      clientId: body.clientId,
      clientSecretId: body.clientSecretId,
      autoAddNewRepositories: body.autoAddNewRepositories ?? true,
      includeGroups: body.includeGroups ?? false,
      sync,
      defaultWorkerPool: body.defaultWorkerPool ?? null,
      removedAt: null,
    }));
    return toOAuthAppRecord(entity);
  }

  async list(tenantId: string, limit: number, after?: string): Promise<Page<OAuthAppRecord>> {
    const query = this.apps.createQueryBuilder('a').where('a.tenant_id = :tenantId AND a.removed_at IS NULL', { tenantId }).orderBy('a.id', 'ASC').limit(limit + 1);
    if (after) query.andWhere('a.id > :after', { after });
    return toPage(await query.getMany(), limit, toOAuthAppRecord, (a) => ({ id: a.id }));
  }

  async get(tenantId: string, id: string): Promise<OAuthAppRecord> {
    return toOAuthAppRecord(await this.entity(tenantId, id));
  }

  async entity(tenantId: string, id: string): Promise<OAuthAppEntity> {
    const entity = await this.apps.findOneBy({ id, tenantId, removedAt: IsNull() });
    if (!entity) throw ProblemException.notFound('OAuth application');
    return entity;
  }

  /** Organizations already onboarded through it keep refreshing with it; new authorizations cannot use it. */
  async remove(tenantId: string, id: string): Promise<void> {
    await this.entity(tenantId, id);
    await this.apps.update({ id }, { removedAt: new Date() });
  }
}
