import type { INestApplication } from '@nestjs/common';
import { runServiceProcess } from '@repovault/platform/http';
import type { Telemetry } from '@repovault/platform/telemetry';
import type { OrgServiceConfig } from './config/org-service.config';
import { OrgServiceModule } from './org-service.module';

export function bootstrap(config: OrgServiceConfig, telemetry: Telemetry): Promise<INestApplication> {
  return runServiceProcess({
    service: 'org-service',
    logLevel: config.LOG_LEVEL,
    host: config.REPOVAULT_HTTP_HOST,
    port: config.REPOVAULT_HTTP_PORT,
    telemetry,
    rootModule: (runtime) => OrgServiceModule.forRoot(config, runtime),
  });
}
