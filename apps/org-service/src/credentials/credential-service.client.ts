import { Inject, Injectable } from '@nestjs/common';
import type { CredentialInput, CredentialRecord, OAuthAuthorizationRecord, OrganizationTarget } from '@repovault/contracts/internal-api';
import { InternalHttpClient } from '@repovault/platform/http';
import { ORG_SERVICE_CONFIG, type OrgServiceConfig } from '../config/org-service.config';

/** credential-service, as org-service uses it: store and validate the main credential (discovery's calls are claimed by the transport). */
@Injectable()
export class CredentialServiceClient {
  private readonly client: InternalHttpClient;

  constructor(@Inject(ORG_SERVICE_CONFIG) config: OrgServiceConfig) {
    this.client = new InternalHttpClient('credential-service', config.REPOVAULT_CREDENTIAL_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  createMain(tenantId: string, organization: OrganizationTarget, credential: CredentialInput): Promise<CredentialRecord> {
    return this.client.post(`/internal/organizations/${organization.id}/main-credential`, { tenantId, body: { organization, credential } });
  }

  /** A finished OAuth authorization an organization is connected with (provider, base URL, advanced mode's defaults). */
  authorization(tenantId: string, id: string): Promise<OAuthAuthorizationRecord> {
    return this.client.get(`/internal/oauth/authorizations/${id}`, { tenantId });
  }

  remove(tenantId: string, organizationId: string, credentialId: string): Promise<void> {
    return this.client.delete(`/internal/organizations/${organizationId}/credentials/${credentialId}`, { tenantId });
  }
}
