import type { ClaimCandidates, ClaimCompletion, ClaimRequest, ClaimResponse, CredentialMaterial, LeaseRef } from '@repovault/contracts/internal-api';
import { InternalHttpClient } from '@repovault/platform/http';

/** credential-service's claim protocol and credential material, as a caller sees them. */
export interface ClaimsApi {
  claim(tenantId: string, request: ClaimRequest): Promise<ClaimResponse>;
  complete(tenantId: string, lease: LeaseRef & { credentialId: string; runId?: string }, completion: ClaimCompletion): Promise<void>;
  renew(tenantId: string, lease: LeaseRef): Promise<void>;
  material(tenantId: string, credentialId: string): Promise<CredentialMaterial>;
}

/** The claims API over internal HTTP, with this service's token. */
export class HttpClaimsApi implements ClaimsApi {
  private readonly client: InternalHttpClient;

  constructor(credentialServiceUrl: string, serviceToken: string) {
    this.client = new InternalHttpClient('credential-service', credentialServiceUrl, serviceToken);
  }

  claim(tenantId: string, request: ClaimRequest): Promise<ClaimResponse> {
    return this.client.post('/internal/claims', { tenantId, body: request, timeoutMs: 10_000 });
  }

  complete(tenantId: string, lease: LeaseRef & { credentialId: string; runId?: string }, completion: ClaimCompletion): Promise<void> {
    return this.client.post('/internal/claims/complete', { tenantId, body: { ...lease, ...completion }, timeoutMs: 10_000 });
  }

  renew(tenantId: string, lease: LeaseRef): Promise<void> {
    return this.client.post('/internal/claims/renew', { tenantId, body: lease, timeoutMs: 10_000 });
  }

  material(tenantId: string, credentialId: string): Promise<CredentialMaterial> {
    return this.client.get(`/internal/credentials/${credentialId}/material`, { tenantId });
  }

  candidates(tenantId: string, request: ClaimRequest): Promise<ClaimCandidates> {
    return this.client.post('/internal/claims/candidates', { tenantId, body: request, timeoutMs: 10_000 });
  }

  reportUnauthorized(tenantId: string, credentialId: string): Promise<void> {
    return this.client.post(`/internal/credentials/${credentialId}/unauthorized`, { tenantId, timeoutMs: 10_000 });
  }
}
