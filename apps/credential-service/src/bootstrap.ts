import type { INestApplication } from '@nestjs/common';
import { runServiceProcess } from '@repovault/platform/http';
import type { Telemetry } from '@repovault/platform/telemetry';
import type { CredentialServiceConfig } from './config/credential-service.config';
import { CredentialServiceModule } from './credential-service.module';

export function bootstrap(config: CredentialServiceConfig, telemetry: Telemetry): Promise<INestApplication> {
  return runServiceProcess({
    service: 'credential-service',
    logLevel: config.LOG_LEVEL,
    host: config.REPOVAULT_HTTP_HOST,
    port: config.REPOVAULT_HTTP_PORT,
    telemetry,
    rootModule: (runtime) => CredentialServiceModule.forRoot(config, runtime),
  });
}
