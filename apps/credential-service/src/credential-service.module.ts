import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { eventsQueueName } from '@repovault/contracts/jobs';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule, createRedisClient } from '@repovault/platform/queue';
import { CLAIMS_REDIS, ClaimsService } from './claims/claims.service';
import { ClaimsController } from './claims/claims.controller';
import { PlanPolicyClient } from './claims/plan-policy.client';
import { RunScopeClient } from './claims/run-scope.client';
import { ClaimsMetrics } from './claims/claims-metrics';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from './config/credential-service.config';
import { CredentialEntity } from './credentials/credential.entity';
import { CredentialEventsHandler } from './credentials/credential-events.handler';
import { CredentialValidator } from './credentials/credential-validator';
import { CredentialMaterialController, CredentialsController } from './credentials/credentials.controller';
import { CredentialsService } from './credentials/credentials.service';
import { credentialDataSourceSpec } from './database/credential-data-source';
import { DELEGATED_CONTROLLERS, DELEGATED_ENTITIES, DELEGATED_PROVIDERS } from './delegated-credentials.parts';
import { OrganizationDirectory } from './organizations/organization-directory';
import { ProviderRegistry } from './providers/provider-registry';
import { SecretEntity } from './secrets/secret.entity';
import { SecretsController } from './secrets/secrets.controller';
import { SecretsService } from './secrets/secrets.service';
import { VaultService } from './vault/vault.service';

@Module({})
export class CredentialServiceModule {
  static forRoot(config: CredentialServiceConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: CredentialServiceModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(credentialDataSourceSpec(config.DATABASE_URL)),
        TypeOrmModule.forFeature([SecretEntity, CredentialEntity, ...DELEGATED_ENTITIES]),
        QueueModule.forRoot({ service: 'credential-service', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }, [
          { name: eventsQueueName('credential-service'), concurrency: 4 },
        ]),
      ],
      controllers: [SecretsController, CredentialsController, CredentialMaterialController, ClaimsController, ...DELEGATED_CONTROLLERS],
      providers: [
        { provide: CREDENTIAL_SERVICE_CONFIG, useValue: config },
        VaultService,
        SecretsService,
        ProviderRegistry,
        CredentialValidator,
        CredentialsService,
        OrganizationDirectory,
        CredentialEventsHandler,
        PlanPolicyClient,
        RunScopeClient,
        ClaimsService,
        ClaimsMetrics,
        ...DELEGATED_PROVIDERS,
        { provide: CLAIMS_REDIS, useFactory: () => createRedisClient(config.REDIS_URL, 'producer', 'credential-claims') },
      ],
    };
  }
}
