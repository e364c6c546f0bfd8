import { Inject, Injectable } from '@nestjs/common';
import type { OrganizationRecord, OrganizationTarget } from '@repovault/contracts/internal-api';
import { InternalHttpClient, ProblemException, relayUpstreamError } from '@repovault/platform/http';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';

/** Reads organizations from org-service (their owner) to validate credentials against. */
@Injectable()
export class OrganizationDirectory {
  private readonly client: InternalHttpClient;

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig) {
    this.client = new InternalHttpClient('org-service', config.REPOVAULT_ORG_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  async target(tenantId: string, organizationId: string): Promise<OrganizationTarget> {
    let organization: OrganizationRecord;
    try {
      organization = await this.client.get<OrganizationRecord>(`/internal/organizations/${organizationId}`, { tenantId });
    } catch (error) {
      relayUpstreamError(error);
    }
    if (organization.status !== 'active') throw ProblemException.notFound('Organization');
    return { id: organization.id, provider: organization.provider, apiBaseUrl: organization.apiBaseUrl, name: organization.name };
  }
}
