import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { OAuthAppRecord } from '@repovault/contracts/internal-api';
import { InternalRoute, ListQuery, type Page, TenantId, UuidParam, decodeCursor, limitOf } from '@repovault/platform/http';
import { OAuthAppsService } from './oauth-apps.service';
import { CreateOAuthAppBody } from './oauth.dto';

/** Advanced mode's OAuth applications, for the gateway (`/v1/oauth-apps`). */
@Controller('internal/oauth-apps')
@InternalRoute('api-gateway')
export class OAuthAppsController {
  constructor(private readonly apps: OAuthAppsService) {}

  @Post()
  create(@TenantId() tenantId: string, @Body() body: CreateOAuthAppBody): Promise<OAuthAppRecord> {
    return this.apps.create(tenantId, body);
  }

  @Get()
  list(@TenantId() tenantId: string, @Query() query: ListQuery): Promise<Page<OAuthAppRecord>> {
    return this.apps.list(tenantId, limitOf(query), decodeCursor<{ id: string }>(query.cursor, ['id'])?.id);
  }

  @Get(':id')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<OAuthAppRecord> {
    return this.apps.get(tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.apps.remove(tenantId, id);
  }
}
