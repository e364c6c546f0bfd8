import type { INestApplication } from '@nestjs/common';
import { runServiceProcess } from '@repovault/platform/http';
import type { Telemetry } from '@repovault/platform/telemetry';
import type { BackupWorkerConfig } from './config/backup-worker.config';
import { BackupWorkerModule } from './backup-worker.module';

export function bootstrap(config: BackupWorkerConfig, telemetry: Telemetry): Promise<INestApplication> {
  return runServiceProcess({
    service: 'backup-worker',
    logLevel: config.LOG_LEVEL,
    host: config.REPOVAULT_HTTP_HOST,
    port: config.REPOVAULT_HTTP_PORT,
    telemetry,
    rootModule: (runtime) => BackupWorkerModule.forRoot(config, runtime),
  });
}
