import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { CredentialMaterial, CredentialRecord } from '@repovault/contracts/internal-api';
import { Caller, type InternalCaller, InternalRoute, ProblemException, TenantId, UuidParam } from '@repovault/platform/http';
import { OrganizationDirectory } from '../organizations/organization-directory';
import { CreateMainCredentialBody, TokenCredentialBody, credentialInputOf } from './credentials.dto';
import { CredentialsService } from './credentials.service';

@Controller('internal/organizations/:organizationId')
export class CredentialsController {
  constructor(private readonly credentials: CredentialsService, private readonly organizations: OrganizationDirectory) {}

  /** org-service, while onboarding: validated against the provider before anything is stored. */
  @Post('main-credential')
  @InternalRoute('org-service')
  async createMain(
    @TenantId() tenantId: string,
    @Param('organizationId', UuidParam()) organizationId: string,
    @Body() body: CreateMainCredentialBody,
  ): Promise<CredentialRecord> {
    if (body.organization.id !== organizationId) throw ProblemException.badRequest('organization.id must match the path.');
    return this.credentials.create(tenantId, body.organization, credentialInputOf(body.credential), 'main');
  }

  @Post('credentials')
  @InternalRoute('api-gateway')
  async createAdditional(
    @TenantId() tenantId: string,
    @Param('organizationId', UuidParam()) organizationId: string,
    @Body() body: TokenCredentialBody,
  ): Promise<CredentialRecord> {
    const target = await this.organizations.target(tenantId, organizationId);
    return this.credentials.create(tenantId, target, credentialInputOf(body), 'additional');
  }

  @Get('credentials')
  @InternalRoute('api-gateway', 'org-service', 'plan-service', 'backup-worker')
  list(@TenantId() tenantId: string, @Param('organizationId', UuidParam()) organizationId: string): Promise<CredentialRecord[]> {
    return this.credentials.list(tenantId, organizationId);
  }

  @Get('credentials/:id')
  @InternalRoute('api-gateway', 'org-service', 'plan-service', 'backup-worker')
  get(@TenantId() tenantId: string, @Param('organizationId', UuidParam()) organizationId: string, @Param('id', UuidParam()) id: string): Promise<CredentialRecord> {
    return this.credentials.get(tenantId, organizationId, id);
  }

  @Post('credentials/:id/validate')
  @InternalRoute('api-gateway')
  validate(@TenantId() tenantId: string, @Param('organizationId', UuidParam()) organizationId: string, @Param('id', UuidParam()) id: string): Promise<CredentialRecord> {
    return this.credentials.revalidate(tenantId, organizationId, id);
  }

  /** The gateway removes additional credentials; org-service may also remove the main one (rollback). */
  @Delete('credentials/:id')
  @HttpCode(204)
  @InternalRoute('api-gateway', 'org-service')
  async remove(
    @TenantId() tenantId: string,
    @Param('organizationId', UuidParam()) organizationId: string,
    @Param('id', UuidParam()) id: string,
    @Caller() caller: InternalCaller,
  ): Promise<void> {
    await this.credentials.remove(tenantId, organizationId, id, caller.service === 'org-service');
  }
}

/** Plaintext credential material, only for the services that call providers. */
@Controller('internal/credentials')
export class CredentialMaterialController {
  constructor(private readonly credentials: CredentialsService) {}

  @Get(':id/material')
  @InternalRoute('org-service', 'backup-worker')
  material(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<CredentialMaterial> {
    return this.credentials.material(tenantId, id);
  }
}
