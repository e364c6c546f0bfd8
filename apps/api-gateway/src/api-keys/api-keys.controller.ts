import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Page, UuidParam, decodeCursor, limitOf, toPage } from '@repovault/platform/http';
import { PublicListQuery } from '../common/list-query.dto';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal } from '../auth/roles';
import { ApiErrors } from '../openapi/api-errors.decorator';
import type { ApiKeyEntity } from './api-key.entity';
import { ApiKeyPage, type ApiKeyView, CreateApiKeyRequest, CreatedApiKey } from './api-keys.dto';
import { ApiKeysService } from './api-keys.service';

export function toApiKeyView(entity: ApiKeyEntity): ApiKeyView {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role,
    keyPrefix: entity.keyPrefix,
    createdAt: entity.createdAt.toISOString(),
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
  };
}

@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key (the key is shown once)' })
  @ApiCreatedResponse({ type: CreatedApiKey })
  @ApiErrors(400, 401, 403)
  async create(@Principal() principal: ApiPrincipal, @Body() body: CreateApiKeyRequest): Promise<CreatedApiKey> {
    const { entity, key } = await this.keys.create(principal.tenantId, body.name, body.role);
    return { ...toApiKeyView(entity), key };
  }

  @Get()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'listApiKeys', summary: 'List API keys (without the keys)' })
  @ApiOkResponse({ type: ApiKeyPage })
  @ApiErrors(400, 401, 403)
  async list(@Principal() principal: ApiPrincipal, @Query() query: PublicListQuery): Promise<ApiKeyPage> {
    const limit = limitOf(query);
    const after = decodeCursor<{ id: string }>(query.cursor, ['id']);
    const rows = await this.keys.list(principal.tenantId, limit, after?.id);
    const page: Page<ApiKeyView> = toPage(rows, limit, toApiKeyView, (r) => ({ id: r.id }));
    return page;
  }

  @Delete(':id')
  @HttpCode(204)
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'deleteApiKey', summary: 'Delete an API key' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(401, 403, 404, 409)
  async remove(@Principal() principal: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.keys.remove(principal.tenantId, id, principal);
  }
}
