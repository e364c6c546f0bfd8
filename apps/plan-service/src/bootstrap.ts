import type { INestApplication } from '@nestjs/common';
import { runServiceProcess } from '@repovault/platform/http';
import type { Telemetry } from '@repovault/platform/telemetry';
import type { PlanServiceConfig } from './config/plan-service.config';
import { PlanServiceModule } from './plan-service.module';

export function bootstrap(config: PlanServiceConfig, telemetry: Telemetry): Promise<INestApplication> {
  return runServiceProcess({
    service: 'plan-service',
    logLevel: config.LOG_LEVEL,
    host: config.REPOVAULT_HTTP_HOST,
    port: config.REPOVAULT_HTTP_PORT,
    telemetry,
    rootModule: (runtime) => PlanServiceModule.forRoot(config, runtime),
  });
}
