import { type DynamicModule, Module } from '@nestjs/common';
import { DatabaseModule } from '@repovault/platform/database';
import { PlatformHttpModule, type ServiceRuntime } from '@repovault/platform/http';
import { QueueModule } from '@repovault/platform/queue';
import { BACKUP_WORKER_CONFIG, type BackupWorkerConfig } from './config/backup-worker.config';
import { workerDataSourceSpec } from './database/worker-data-source';

@Module({})
export class BackupWorkerModule {
  static forRoot(config: BackupWorkerConfig, runtime: ServiceRuntime): DynamicModule {
    return {
      module: BackupWorkerModule,
      imports: [
        PlatformHttpModule.forRoot({ runtime, peerTokens: config.REPOVAULT_PEER_TOKENS }),
        DatabaseModule.forService(workerDataSourceSpec(config.DATABASE_URL)),
        QueueModule.forRoot({ service: 'backup-worker', redisUrl: config.REDIS_URL, prefix: config.REPOVAULT_QUEUE_PREFIX }),
      ],
      providers: [{ provide: BACKUP_WORKER_CONFIG, useValue: config }],
    };
  }
}
