import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule } from '@repovault/platform/queue';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from './config/credential-service.config';
import { credentialDataSourceSpec } from './database/credential-data-source';

@Module({})
export class CredentialServiceModule {
  static forRoot(config: CredentialServiceConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: CredentialServiceModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(credentialDataSourceSpec(config.DATABASE_URL)),
        QueueModule.forRoot({ service: 'credential-service', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }),
      ],
      providers: [{ provide: CREDENTIAL_SERVICE_CONFIG, useValue: config }],
    };
  }
}
