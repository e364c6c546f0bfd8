import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CredentialRecord } from '@repovault/contracts/internal-api';
import { UuidParam } from '@repovault/platform/http';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal, Readers } from '../auth/roles';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { CreateCredentialRequest, CredentialList, CredentialView } from './credentials.dto';

function toView(record: CredentialRecord): CredentialView {
  return {
    id: record.id, role: record.role, method: record.method, username: record.username, email: record.email, secretId: record.secretId,
    identity: record.identity, tokenKind: record.tokenKind, status: record.status, statusReason: record.statusReason, scopes: record.scopes,
    rateLimit: record.rateLimit, sharesBudgetWith: record.sharesBudgetWith, capabilities: record.capabilities, lastUsedAt: record.lastUsedAt,
    createdAt: record.createdAt,
  };
}

/** Main and additional credentials ("throttling prevention"): used by no plan until a plan enables them. */
@ApiTags('credentials')
@ApiBearerAuth()
@Controller('v1/organizations/:organizationId/credentials')
export class CredentialsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'addCredential', summary: 'Add an additional credential, validated against the provider' })
  @ApiCreatedResponse({ type: CredentialView })
  @ApiErrors(400, 401, 403, 404, 422)
  async add(@Principal() p: ApiPrincipal, @Param('organizationId', UuidParam()) organizationId: string, @Body() body: CreateCredentialRequest): Promise<CredentialView> {
    return toView(await this.upstream.credential.post<CredentialRecord>(`/internal/organizations/${organizationId}/credentials`, { tenantId: p.tenantId, body, timeoutMs: 120_000 }));
  }

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listCredentials', summary: 'Main and additional credentials with identities and rate limits' })
  @ApiOkResponse({ type: CredentialList })
  @ApiErrors(400, 401, 404)
  async list(@Principal() p: ApiPrincipal, @Param('organizationId', UuidParam()) organizationId: string): Promise<CredentialList> {
    await this.upstream.org.get(`/internal/organizations/${organizationId}`, { tenantId: p.tenantId }); // 404 for unknown or other tenants'
    const items = await this.upstream.credential.get<CredentialRecord[]>(`/internal/organizations/${organizationId}/credentials`, { tenantId: p.tenantId });
    return { items: items.map(toView), nextCursor: null };
  }

  @Delete(':credentialId')
  @HttpCode(204)
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'removeCredential', summary: 'Remove an additional credential (it disappears from every plan)' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiErrors(400, 401, 403, 404, 409)
  async remove(@Principal() p: ApiPrincipal, @Param('organizationId', UuidParam()) organizationId: string, @Param('credentialId', UuidParam()) credentialId: string): Promise<void> {
    await this.upstream.credential.delete(`/internal/organizations/${organizationId}/credentials/${credentialId}`, { tenantId: p.tenantId });
  }

  @Post(':credentialId/validate')
  @HttpCode(200)
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'validateCredential', summary: 'Check a credential against the provider again' })
  @ApiOkResponse({ type: CredentialView })
  @ApiErrors(400, 401, 403, 404)
  async validate(@Principal() p: ApiPrincipal, @Param('organizationId', UuidParam()) organizationId: string, @Param('credentialId', UuidParam()) credentialId: string): Promise<CredentialView> {
    return toView(await this.upstream.credential.post<CredentialRecord>(`/internal/organizations/${organizationId}/credentials/${credentialId}/validate`, { tenantId: p.tenantId }));
  }
}
