import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { providerSupport } from '@repovault/providers/catalog';
import { type UpstreamRepository, createEgressFetch } from '@repovault/providers/core';
import { ClaimBroker, ClaimedTransport, CredentialMaterialCache, HttpClaimsApi } from '@repovault/providers/transport';
import type { Repository } from 'typeorm';
import { ORG_SERVICE_CONFIG, type OrgServiceConfig } from '../config/org-service.config';
import type { OrganizationEntity } from '../organizations/organization.entity';
import { RepositoryEntity } from '../repositories/repository.entity';

export interface DiscoveryResult {
  added: number;
  updated: number;
  deleted: number;
  skipped: number;
}

/**
 * Lists an organization's repositories upstream with its main credential and reconciles the
 * inventory: new ones are added on the first sync and afterwards only with auto-add; a repository
 * gone upstream is marked deleted (its snapshots stay); one that comes back is active again.
 */
@Injectable()
export class RepositoryDiscovery {
  private readonly logger = new Logger('RepositoryDiscovery');
  private readonly transport: ClaimedTransport;

  constructor(
    @InjectRepository(RepositoryEntity) private readonly repositories: Repository<RepositoryEntity>,
    @Inject(ORG_SERVICE_CONFIG) config: OrgServiceConfig,
  ) {
    const api = new HttpClaimsApi(config.REPOVAULT_CREDENTIAL_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
    // discovery pays for its calls like a backup does: claimed, with the main credential only
    this.transport = new ClaimedTransport(
      new ClaimBroker(api),
      new CredentialMaterialCache((tenantId, id) => api.material(tenantId, id)),
      createEgressFetch({ allowPrivateAddresses: config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS }),
    );
  }

  async discover(organization: OrganizationEntity): Promise<DiscoveryResult> {
    if (!organization.mainCredentialId) throw new Error('the organization has no main credential');
    const fetch = this.transport.fetchFor({
      tenantId: organization.tenantId,
      organizationId: organization.id,
      purpose: 'discovery',
      provider: organization.provider,
      credentialOrigins: [new URL(organization.apiBaseUrl).origin],
    });
    const adapter = providerSupport(organization.provider).adapter({ apiBaseUrl: organization.apiBaseUrl, fetch }, { includeGroups: organization.includeGroups });
    const upstream: UpstreamRepository[] = [];
    for await (const repository of adapter.listRepositories(organization.name)) upstream.push(repository);
    return this.reconcile(organization, upstream);
  }

  private async reconcile(organization: OrganizationEntity, upstream: UpstreamRepository[]): Promise<DiscoveryResult> {
    const firstSync = organization.lastSyncedAt === null;
    const result: DiscoveryResult = { added: 0, updated: 0, deleted: 0, skipped: 0 };
    await this.repositories.manager.transaction(async (manager) => {
      const repository = manager.getRepository(RepositoryEntity);
      const known = new Map((await repository.findBy({ organizationId: organization.id })).map((r) => [r.providerId, r]));
      const now = new Date();
      for (const up of upstream) {
        const existing = known.get(up.providerId);
        known.delete(up.providerId);
        const fields = {
          fullName: up.fullName, name: up.name, defaultBranch: up.defaultBranch, private: up.private, archived: up.archived,
          sizeKb: up.sizeKb, lastPushedAt: up.pushedAt ? new Date(up.pushedAt) : null, hasWiki: up.hasWiki, hasIssues: up.hasIssues ?? null, cloneUrl: up.cloneUrl,
        };
        if (existing) {
          await repository.update({ id: existing.id }, { ...fields, status: 'active', deletedAt: null });
          result.updated++;
        } else if (firstSync || organization.autoAddNewRepositories) {
          await repository.insert({ ...fields, tenantId: organization.tenantId, organizationId: organization.id, providerId: up.providerId, status: 'active', discoveredAt: now, deletedAt: null });
          result.added++;
        } else {
          result.skipped++;
        }
      }
      for (const gone of known.values()) {
        if (gone.status === 'deleted') continue;
        await repository.update({ id: gone.id }, { status: 'deleted', deletedAt: now });
        result.deleted++;
      }
    });
    this.logger.log({ organizationId: organization.id, ...result }, 'repositories reconciled');
    return result;
  }
}
