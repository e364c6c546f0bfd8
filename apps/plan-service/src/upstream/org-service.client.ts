import { Inject, Injectable } from '@nestjs/common';
import type { OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import { InternalHttpClient, type Page } from '@repovault/platform/http';
import { PLAN_SERVICE_CONFIG, type PlanServiceConfig } from '../config/plan-service.config';

/** org-service, as plan-service reads it: organizations (they own plans) and their active repositories. */
@Injectable()
export class OrgServiceClient {
  private readonly client: InternalHttpClient;

  constructor(@Inject(PLAN_SERVICE_CONFIG) config: PlanServiceConfig) {
    this.client = new InternalHttpClient('org-service', config.REPOVAULT_ORG_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  organization(tenantId: string, organizationId: string): Promise<OrganizationRecord> {
    return this.client.get(`/internal/organizations/${organizationId}`, { tenantId });
  }

  /** Every active repository of the organization, all pages. */
  async activeRepositories(tenantId: string, organizationId: string): Promise<RepositoryRecord[]> {
    const all: RepositoryRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.get<Page<RepositoryRecord>>(`/internal/organizations/${organizationId}/repositories`, {
        tenantId,
        query: { status: 'active', limit: 200, cursor },
      });
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return all;
  }
}
