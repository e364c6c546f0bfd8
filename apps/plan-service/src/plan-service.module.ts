import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueName, eventsQueueName } from '@repovault/contracts/jobs';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule } from '@repovault/platform/queue';
import { PLAN_SERVICE_CONFIG, type PlanServiceConfig } from './config/plan-service.config';
import { planDataSourceSpec } from './database/plan-data-source';
import { PlanEventsHandler } from './plans/plan-events.handler';
import { PlanScheduler } from './plans/plan-scheduler';
import { PlanEntity } from './plans/plan.entity';
import { PlansController } from './plans/plans.controller';
import { PlansService } from './plans/plans.service';
import { RunProgressService } from './runs/run-progress.service';
import { RunRepositoryEntity } from './runs/run-repository.entity';
import { RunEntity } from './runs/run.entity';
import { RunsController } from './runs/runs.controller';
import { RunsService } from './runs/runs.service';
import { RestoreEntity } from './restores/restore.entity';
import { RestoresController } from './restores/restores.controller';
import { RestoresService } from './restores/restores.service';
import { ScheduledRunsHandler } from './runs/scheduled-runs.handler';
import { PoolScalingController } from './scaling/pool-scaling.controller';
import { PoolScalingMetrics } from './scaling/pool-scaling.metrics';
import { PoolScalingService } from './scaling/pool-scaling.service';
import { SnapshotRetention } from './snapshots/snapshot-retention';
import { SnapshotEntity } from './snapshots/snapshot.entity';
import { RepositorySnapshotsController, SnapshotsController } from './snapshots/snapshots.controller';
import { SnapshotsService } from './snapshots/snapshots.service';
import { snapshotStoreProvider } from './storage/snapshot-store.provider';
import { CredentialServiceClient } from './upstream/credential-service.client';
import { OrgServiceClient } from './upstream/org-service.client';

@Module({})
export class PlanServiceModule {
  static forRoot(config: PlanServiceConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: PlanServiceModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(planDataSourceSpec(config.DATABASE_URL)),
        TypeOrmModule.forFeature([PlanEntity, RunEntity, RunRepositoryEntity, SnapshotEntity, RestoreEntity]),
        QueueModule.forRoot({ service: 'plan-service', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }, [
          { name: QueueName.PlanSchedules, concurrency: 8 },
          { name: eventsQueueName('plan-service'), concurrency: 4 },
        ]),
      ],
      controllers: [PlansController, RunsController, SnapshotsController, RepositorySnapshotsController, PoolScalingController, RestoresController],
      providers: [
        { provide: PLAN_SERVICE_CONFIG, useValue: config },
        snapshotStoreProvider,
        OrgServiceClient,
        CredentialServiceClient,
        PlanScheduler,
        PlansService,
        PlanEventsHandler,
        RunsService,
        RunProgressService,
        ScheduledRunsHandler,
        SnapshotsService,
        RestoresService,
        SnapshotRetention,
        PoolScalingService,
        PoolScalingMetrics,
      ],
    };
  }
}
