import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Principal } from '../auth/gateway-auth.guard';
import { AllowRoles, type ApiPrincipal, OperatorOnly, Readers } from '../auth/roles';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { CreateTenantRequest, CreatedTenant, TenantView } from './tenants.dto';
import { TenantsService } from './tenants.service';

@ApiTags('tenants')
@Controller('v1')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Post('tenants')
  @OperatorOnly()
  @ApiSecurity('operator')
  @ApiCreatedResponse({ type: CreatedTenant })
  @ApiOperation({ operationId: 'createTenant', summary: 'Create a tenant and its first admin API key (operator only)' })
  @ApiErrors(400, 401)
  async create(@Body() body: CreateTenantRequest): Promise<CreatedTenant> {
    const { tenant, apiKey } = await this.tenants.create(body.name);
    return { id: tenant.id, name: tenant.name, apiKey };
  }

  @Get('tenant')
  @AllowRoles(Readers)
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'getCurrentTenant', summary: 'The tenant of the calling API key' })
  @ApiOkResponse({ type: TenantView })
  @ApiErrors(401)
  async current(@Principal() principal: ApiPrincipal): Promise<TenantView> {
    const tenant = await this.tenants.get(principal.tenantId);
    return { id: tenant.id, name: tenant.name, createdAt: tenant.createdAt.toISOString() };
  }
}
