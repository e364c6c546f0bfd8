import type { INestApplication } from '@nestjs/common';
import { runServiceProcess } from '@repovault/platform/http';
import type { Telemetry } from '@repovault/platform/telemetry';
import { defaultedFields } from '@repovault/platform/config';
import { type GatewayConfig, gatewayConfigSchema } from './config/gateway.config';
import { GatewayModule } from './gateway.module';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi-document';

export async function bootstrap(config: GatewayConfig, telemetry: Telemetry): Promise<INestApplication> {
  const app = await runServiceProcess({
    service: 'api-gateway',
    logLevel: config.LOG_LEVEL,
    host: config.REPOVAULT_HTTP_HOST,
    port: config.REPOVAULT_GATEWAY_PORT,
    telemetry,
    rootModule: (runtime) => GatewayModule.forRoot(config, runtime),
    configure: (nest) => serveOpenApi(nest, buildOpenApiDocument(nest)),
  });
  if (defaultedFields(gatewayConfigSchema).includes('REPOVAULT_ADMIN_TOKEN')) {
    // development only: the operator needs it once to create the first tenant
    process.stdout.write(`\nREPOVAULT_ADMIN_TOKEN (generated for this run, development only): ${config.REPOVAULT_ADMIN_TOKEN}\n\n`);
  }
  return app;
}
