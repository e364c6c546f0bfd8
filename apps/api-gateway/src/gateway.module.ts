import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { CredentialsController } from './credentials/credentials.controller';
import { GitHubAppsController } from './github-apps/github-apps.controller';
import { OAuthAppsController } from './oauth/oauth-apps.controller';
import { OAuthController } from './oauth/oauth.controller';
import { OrganizationsController } from './organizations/organizations.controller';
import { PlanServiceApiModule } from './plans/plan-service-api.module';
import { SecretsController } from './secrets/secrets.controller';
import { UpstreamClients } from './upstream/upstream-clients';
import { GatewayAuthGuard } from './auth/gateway-auth.guard';
import { GATEWAY_CONFIG, type GatewayConfig } from './config/gateway.config';
import { gatewayDataSourceSpec } from './database/gateway-data-source';
import { TenantEntity } from './tenants/tenant.entity';
import { TenantsController } from './tenants/tenants.controller';
import { TenantsService } from './tenants/tenants.service';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime }),
        DatabaseModule.forService(gatewayDataSourceSpec(config.DATABASE_URL)),
        TypeOrmModule.forFeature([TenantEntity, ApiKeyEntity]),
        PlanServiceApiModule.forRoot(config),
      ],
      controllers: [
        TenantsController, ApiKeysController, SecretsController, OrganizationsController, CredentialsController, OAuthController, OAuthAppsController, GitHubAppsController,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        ApiKeysService,
        UpstreamClients,
        TenantsService,
        { provide: APP_GUARD, useClass: GatewayAuthGuard },
      ],
    };
  }
}
