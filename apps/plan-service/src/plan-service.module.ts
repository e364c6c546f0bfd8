import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule } from '@repovault/platform/queue';
import { PLAN_SERVICE_CONFIG, type PlanServiceConfig } from './config/plan-service.config';
import { planDataSourceSpec } from './database/plan-data-source';

@Module({})
export class PlanServiceModule {
  static forRoot(config: PlanServiceConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: PlanServiceModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(planDataSourceSpec(config.DATABASE_URL)),
        QueueModule.forRoot({ service: 'plan-service', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }),
      ],
      providers: [{ provide: PLAN_SERVICE_CONFIG, useValue: config }],
    };
  }
}
