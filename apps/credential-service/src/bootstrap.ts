import type { INestApplication } from '@nestjs/common';
import { runServiceProcess } from '@repovault/platform/http';
import type { Telemetry } from '@repovault/platform/telemetry';
import { type CredentialServiceConfig, usesDevelopmentVaultKey } from './config/credential-service.config';
import { CredentialServiceModule } from './credential-service.module';

export async function bootstrap(config: CredentialServiceConfig, telemetry: Telemetry): Promise<INestApplication> {
  const app = await runServiceProcess({
    service: 'credential-service',
    logLevel: config.LOG_LEVEL,
    host: config.REPOVAULT_HTTP_HOST,
    port: config.REPOVAULT_HTTP_PORT,
    telemetry,
    rootModule: (runtime) => CredentialServiceModule.forRoot(config, runtime),
  });
  if (usesDevelopmentVaultKey(config)) {
    process.stderr.write(
      '\n*** WARNING: the vault uses the built-in DEVELOPMENT key. Secrets are NOT protected. ' +
        'Set REPOVAULT_VAULT_KEYS (id:base64key) before storing real tokens. ***\n\n',
    );
  }
  return app;
}
