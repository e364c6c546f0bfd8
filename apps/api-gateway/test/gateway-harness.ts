import type { INestApplication } from '@nestjs/common';
import { createRepoVaultClient, type RepoVaultClient } from '@repovault/contracts/public-api';
import { loadConfig } from '@repovault/platform/config';
import { ServiceRuntime, bootstrapService } from '@repovault/platform/http';
import { createLogger } from '@repovault/platform/logging';
import { TEST_DATABASE_URL, freePort, prepareTestDatabase } from '@repovault/testing/support';
import { randomBytes } from 'node:crypto';
import { gatewayConfigSchema } from '../src/config/gateway.config';
import { gatewayDataSourceSpec } from '../src/database/gateway-data-source';
import { GatewayModule } from '../src/gateway.module';
import { buildOpenApiDocument, serveOpenApi } from '../src/openapi/openapi-document';

export interface GatewayUnderTest {
  app: INestApplication;
  url: string;
  adminToken: string;
  operator: RepoVaultClient;
  client(apiKey: string): RepoVaultClient;
  /** a fresh tenant with its admin key; every test makes its own */
  newTenant(name?: string): Promise<{ id: string; apiKey: string; admin: RepoVaultClient }>;
  close(): Promise<void>;
}

/** The real gateway module on a free port against the shared test database. */
export async function startGateway(): Promise<GatewayUnderTest> {
  await prepareTestDatabase(gatewayDataSourceSpec);
  const port = await freePort();
  const adminToken = `rvadm_${randomBytes(16).toString('hex')}`;
  const config = loadConfig(gatewayConfigSchema, {
    DATABASE_URL: TEST_DATABASE_URL,
    REPOVAULT_ADMIN_TOKEN: adminToken,
    REPOVAULT_GATEWAY_PORT: String(port),
  });
  const runtime = new ServiceRuntime('api-gateway', createLogger({ service: 'api-gateway', level: 'silent' }));
  const app = await bootstrapService(GatewayModule.forRoot(config, runtime), {
    runtime,
    host: '127.0.0.1',
    port,
    configure: (nest) => serveOpenApi(nest, buildOpenApiDocument(nest)),
  });
  const url = `http://127.0.0.1:${port}`;
  const operator = createRepoVaultClient(url, { adminToken });
  return {
    app,
    url,
    adminToken,
    operator,
    client: (apiKey) => createRepoVaultClient(url, { apiKey }),
    async newTenant(name = `tenant-${randomBytes(4).toString('hex')}`) {
      const { data, error } = await operator.POST('/v1/tenants', { body: { name } });
      if (!data) throw new Error(`tenant creation failed: ${JSON.stringify(error)}`);
      return { id: data.id, apiKey: data.apiKey, admin: createRepoVaultClient(url, { apiKey: data.apiKey }) };
    },
    close: () => app.close(),
  };
}
