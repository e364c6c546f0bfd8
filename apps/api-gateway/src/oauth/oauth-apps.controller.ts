import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OAuthAppRecord } from '@repovault/contracts/internal-api';
import { type Page, UuidParam } from '@repovault/platform/http';
import type { Request } from 'express';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal, Readers } from '../auth/roles';
import { publicBaseUrl } from '../browser-flows/public-url';
import { PublicListQuery } from '../common/list-query.dto';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { OAUTH_CALLBACK_PATH } from './oauth.controller';
import { CreateOAuthAppRequest, OAuthAppPage, OAuthAppView } from './oauth.dto';
import { toOAuthAppView } from './oauth-views';

/**
 * Advanced mode: the tenant registers its own OAuth application (self-managed GitLab, GHES,
 * Bitbucket DC, or its own consent screen), with the organization settings the seeds ask for.
 */
@ApiTags('oauth')
@ApiBearerAuth()
@Controller('v1/oauth-apps')
export class OAuthAppsController {
  constructor(private readonly upstream: UpstreamClients, @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  @Post()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'createOAuthApp', summary: 'Register your own OAuth application (advanced mode); its secret comes from the password manager' })
  @ApiCreatedResponse({ type: OAuthAppView })
  @ApiErrors(400, 401, 403, 422)
  async create(@Principal() p: ApiPrincipal, @Body() body: CreateOAuthAppRequest, @Req() request: Request): Promise<OAuthAppView> {
    return toOAuthAppView(await this.upstream.credential.post<OAuthAppRecord>('/internal/oauth-apps', { tenantId: p.tenantId, body }), this.redirectUri(request));
  }

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listOAuthApps', summary: 'Your OAuth applications' })
  @ApiOkResponse({ type: OAuthAppPage })
  @ApiErrors(400, 401)
  async list(@Principal() p: ApiPrincipal, @Query() query: PublicListQuery, @Req() request: Request): Promise<OAuthAppPage> {
    const page = await this.upstream.credential.get<Page<OAuthAppRecord>>('/internal/oauth-apps', { tenantId: p.tenantId, query: { limit: query.limit, cursor: query.cursor } });
    return { items: page.items.map((a) => toOAuthAppView(a, this.redirectUri(request))), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getOAuthApp', summary: 'An OAuth application' })
  @ApiOkResponse({ type: OAuthAppView })
  @ApiErrors(400, 401, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Req() request: Request): Promise<OAuthAppView> {
    return toOAuthAppView(await this.upstream.credential.get<OAuthAppRecord>(`/internal/oauth-apps/${id}`, { tenantId: p.tenantId }), this.redirectUri(request));
  }

  @Delete(':id')
  @HttpCode(204)
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'deleteOAuthApp', summary: 'Remove an OAuth application (organizations connected through it keep working)' })
  @ApiNoContentResponse({ description: 'removed' })
  @ApiErrors(400, 401, 403, 404)
  async remove(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.upstream.credential.delete(`/internal/oauth-apps/${id}`, { tenantId: p.tenantId });
  }

  private redirectUri(request: Request): string {
    return `${publicBaseUrl(this.config, request)}${OAUTH_CALLBACK_PATH}`;
  }
}
