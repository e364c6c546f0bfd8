/**
 * `npm run openapi:generate`: writes the committed OpenAPI document and the TypeScript types the
 * generated client uses. The gateway is assembled in preview mode: no database, nothing listens.
 */
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@repovault/platform/config';
import { createLogger } from '@repovault/platform/logging';
import { ServiceRuntime } from '@repovault/platform/http';
import { writeFileSync } from 'node:fs';
import { gatewayConfigSchema } from '../config/gateway.config';
import { GatewayModule } from '../gateway.module';
import { buildOpenApiDocument } from './openapi-document';
import { renderOpenApiJson } from './render-openapi';

export async function generateOpenApiJson(): Promise<string> {
  const config = loadConfig(gatewayConfigSchema, { REPOVAULT_ADMIN_TOKEN: 'preview' });
  const runtime = new ServiceRuntime('api-gateway', createLogger({ service: 'api-gateway', level: 'silent' }));
  const app = await NestFactory.create(GatewayModule.forRoot(config, runtime), { preview: true, logger: false, abortOnError: false });
  try {
    return renderOpenApiJson(buildOpenApiDocument(app));
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const [target] = process.argv.slice(2);
  if (!target) throw new Error('usage: write-openapi <output.json>');
  generateOpenApiJson()
    .then((json) => writeFileSync(target, json))
    .catch((error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    });
}
