import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import { type Page, UuidParam } from '@repovault/platform/http';
import { Principal } from '../auth/gateway-auth.guard';
import { Admins, AllowRoles, type ApiPrincipal, BackupOperators, Readers } from '../auth/roles';
import { PublicListQuery } from '../common/list-query.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { toOrganizationView, toRepositoryView } from './organization-views';
import {
  CreateOrganizationRequest, OrganizationPage, OrganizationView, RepositoryListQuery, RepositoryPage, SyncAccepted, UpdateOrganizationRequest,
} from './organizations.dto';

@ApiTags('organizations')
@ApiBearerAuth()
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post()
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'createOrganization', summary: 'Connect an organization; its credential is validated against the provider first' })
  @ApiCreatedResponse({ type: OrganizationView })
  @ApiErrors(400, 401, 403, 409, 422)
  async create(@Principal() p: ApiPrincipal, @Body() body: CreateOrganizationRequest): Promise<OrganizationView> {
    return toOrganizationView(await this.upstream.org.post<OrganizationRecord>('/internal/organizations', { tenantId: p.tenantId, body, timeoutMs: 300_000 }));
  }

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listOrganizations', summary: 'List organizations' })
  @ApiOkResponse({ type: OrganizationPage })
  @ApiErrors(400, 401)
  async list(@Principal() p: ApiPrincipal, @Query() query: PublicListQuery): Promise<OrganizationPage> {
    const page = await this.upstream.org.get<Page<OrganizationRecord>>('/internal/organizations', { tenantId: p.tenantId, query: { limit: query.limit, cursor: query.cursor } });
    return { items: page.items.map(toOrganizationView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getOrganization', summary: 'An organization' })
  @ApiOkResponse({ type: OrganizationView })
  @ApiErrors(400, 401, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<OrganizationView> {
    return toOrganizationView(await this.upstream.org.get<OrganizationRecord>(`/internal/organizations/${id}`, { tenantId: p.tenantId }));
  }

  @Patch(':id')
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'updateOrganization', summary: 'Change sync, auto-add, groups or the default worker pool' })
  @ApiOkResponse({ type: OrganizationView })
  @ApiErrors(400, 401, 403, 404)
  async update(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Body() body: UpdateOrganizationRequest): Promise<OrganizationView> {
    return toOrganizationView(await this.upstream.org.patch<OrganizationRecord>(`/internal/organizations/${id}`, { tenantId: p.tenantId, body }));
  }

  @Delete(':id')
  @HttpCode(204)
  @AllowRoles(Admins)
  @ApiOperation({ operationId: 'deleteOrganization', summary: 'Stop its schedules and hide it; snapshots stay until retention' })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(400, 401, 403, 404)
  async remove(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.upstream.org.delete(`/internal/organizations/${id}`, { tenantId: p.tenantId });
  }

  @Post(':id/sync')
  @HttpCode(202)
  @AllowRoles(BackupOperators)
  @ApiOperation({ operationId: 'syncOrganization', summary: 'Discover repositories now' })
  @ApiAcceptedResponse({ type: SyncAccepted })
  @ApiErrors(400, 401, 403, 404)
  sync(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<SyncAccepted> {
    return this.upstream.org.post(`/internal/organizations/${id}/sync`, { tenantId: p.tenantId });
  }

  @Get(':id/repositories')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listRepositories', summary: "An organization's repositories (deleted ones stay listed)" })
  @ApiOkResponse({ type: RepositoryPage })
  @ApiErrors(400, 401, 404)
  async repositories(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Query() query: RepositoryListQuery): Promise<RepositoryPage> {
    const page = await this.upstream.org.get<Page<RepositoryRecord>>(`/internal/organizations/${id}/repositories`, {
      tenantId: p.tenantId,
      query: { limit: query.limit, cursor: query.cursor, status: query.status },
    });
    return { items: page.items.map(toRepositoryView), nextCursor: page.nextCursor };
  }
}
