import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { SecretRecord } from '@repovault/contracts/internal-api';
import { type Page, UuidParam } from '@repovault/platform/http';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal, Readers } from '../auth/roles';
import { PublicListQuery } from '../common/list-query.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { CreateSecretRequest, SecretPage, SecretValueRequest, SecretView } from './secrets.dto';

/** The password manager: values are write-only. */
@ApiTags('secrets')
@ApiBearerAuth()
@Controller('v1/secrets')
export class SecretsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'createSecret', summary: 'Store a secret (PAT, API token, access token) in the password manager' })
  @ApiCreatedResponse({ type: SecretView })
  @ApiErrors(400, 401, 403, 409)
  create(@Principal() p: ApiPrincipal, @Body() body: CreateSecretRequest): Promise<SecretView> {
    return this.upstream.credential.post<SecretRecord>('/internal/secrets', { tenantId: p.tenantId, body });
  }

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listSecrets', summary: 'List secrets (metadata only)' })
  @ApiOkResponse({ type: SecretPage })
  @ApiErrors(400, 401)
  list(@Principal() p: ApiPrincipal, @Query() query: PublicListQuery): Promise<Page<SecretView>> {
    return this.upstream.credential.get('/internal/secrets', { tenantId: p.tenantId, query: { limit: query.limit, cursor: query.cursor } });
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getSecret', summary: 'A secret (metadata only)' })
  @ApiOkResponse({ type: SecretView })
  @ApiErrors(400, 401, 404)
  get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<SecretView> {
    return this.upstream.credential.get(`/internal/secrets/${id}`, { tenantId: p.tenantId });
  }

  @Put(':id/value')
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'rotateSecret', summary: "Replace a secret's value; credentials using it re-detect their identity" })
  @ApiOkResponse({ type: SecretView })
  @ApiErrors(400, 401, 403, 404)
  rotate(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Body() body: SecretValueRequest): Promise<SecretView> {
    return this.upstream.credential.put(`/internal/secrets/${id}/value`, { tenantId: p.tenantId, body });
  }

  @Delete(':id')
  @HttpCode(204)
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'deleteSecret', summary: 'Delete a secret (409 while a credential uses it)' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(400, 401, 403, 404, 409)
  async remove(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.upstream.credential.delete(`/internal/secrets/${id}`, { tenantId: p.tenantId });
  }
}
