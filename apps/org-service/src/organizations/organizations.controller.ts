import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import { InternalRoute, ListQuery, type Page, TenantId, UuidParam, limitOf } from '@repovault/platform/http';
import { CreateOrganizationBody, RepositoryListQuery, UpdateOrganizationBody } from './organizations.dto';
import type { DiscoveryResult } from '../sync/repository-discovery';
import { OrganizationsService } from './organizations.service';

@Controller('internal/organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Post()
  @InternalRoute('api-gateway')
  create(@TenantId() tenantId: string, @Body() body: CreateOrganizationBody): Promise<OrganizationRecord> {
    return this.organizations.create(tenantId, body);
  }

  @Get()
  @InternalRoute('api-gateway')
  list(@TenantId() tenantId: string, @Query() query: ListQuery): Promise<Page<OrganizationRecord>> {
    return this.organizations.list(tenantId, limitOf(query), query.cursor);
  }

  @Get(':id')
  @InternalRoute('api-gateway', 'credential-service', 'plan-service', 'backup-worker')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<OrganizationRecord> {
    return this.organizations.get(tenantId, id);
  }

  @Patch(':id')
  @InternalRoute('api-gateway')
  update(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Body() body: UpdateOrganizationBody): Promise<OrganizationRecord> {
    return this.organizations.update(tenantId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @InternalRoute('api-gateway')
  async remove(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.organizations.remove(tenantId, id);
  }

  @Post(':id/sync')
  @HttpCode(202)
  @InternalRoute('api-gateway')
  async sync(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<{ status: 'queued' }> {
    await this.organizations.requestSync(tenantId, id);
    return { status: 'queued' };
  }

  /** Lists the repositories upstream now and reconciles the inventory (a run does this before it fans out). */
  @Post(':id/discover')
  @HttpCode(200)
  @InternalRoute('backup-worker')
  discover(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<DiscoveryResult> {
    return this.organizations.discoverNow(tenantId, id);
  }

  @Get(':id/repositories')
  @InternalRoute('api-gateway', 'plan-service', 'backup-worker')
  repositories(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Query() query: RepositoryListQuery): Promise<Page<RepositoryRecord>> {
    return this.organizations.repositoriesOf(tenantId, id, query.limit ?? 50, query.cursor, query.status);
  }
}

@Controller('internal/repositories')
export class RepositoriesController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get(':id')
  @InternalRoute('api-gateway', 'plan-service', 'backup-worker')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RepositoryRecord> {
    return this.organizations.repository(tenantId, id);
  }
}
