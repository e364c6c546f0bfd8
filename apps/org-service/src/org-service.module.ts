import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule } from '@repovault/platform/queue';
import { ORG_SERVICE_CONFIG, type OrgServiceConfig } from './config/org-service.config';
import { orgDataSourceSpec } from './database/org-data-source';

@Module({})
export class OrgServiceModule {
  static forRoot(config: OrgServiceConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: OrgServiceModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(orgDataSourceSpec(config.DATABASE_URL)),
        QueueModule.forRoot({ service: 'org-service', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }),
      ],
      providers: [{ provide: ORG_SERVICE_CONFIG, useValue: config }],
    };
  }
}
