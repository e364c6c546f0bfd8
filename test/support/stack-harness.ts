import { createRepoVaultClient, type RepoVaultClient } from '@repovault/contracts/public-api';
import {
  LOCAL_POSTGRES, LOCAL_REDIS, LocalStack, type LocalStackOptions, TEST_DATABASE_URL, deleteRedisPrefix, migrateAll, queryDatabase, uniqueQueuePrefix,
} from '@repovault/testing/support';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StackUnderTest {
  stack: LocalStack;
  /** every response body the clients received, for secret scans */
  responses: string[];
  adminToken: string;
  queuePrefix: string;
  storageDir: string;
  databaseUrl: string;
  operator: RepoVaultClient;
  newTenant(): Promise<{ id: string; apiKey: string; client: RepoVaultClient }>;
  stop(): Promise<void>;
}

/**
 * The whole stack on free ports, with its own queue prefix and storage, against the shared test
 * database — or a database of its own when a test acts on every tenant (key rotation).
 */
export async function startStack(options: Partial<LocalStackOptions> & { isolatedDatabase?: boolean } = {}): Promise<StackUnderTest> {
  const { isolatedDatabase, ...stackOptions } = options;
  const adminToken = `rvadm_${randomBytes(16).toString('hex')}`;
  const databaseName = isolatedDatabase ? `repovault_iso_${randomBytes(6).toString('hex')}` : undefined;
  const databaseUrl = databaseName ? `${LOCAL_POSTGRES}/${databaseName}` : TEST_DATABASE_URL;
  if (databaseName) migrateAll(databaseUrl);
  const queuePrefix = uniqueQueuePrefix('sys');
  const dir = mkdtempSync(join(tmpdir(), 'rv-stack-'));
  const storageDir = join(dir, 'snapshots');
  const stack = await LocalStack.start({
    databaseUrl,
    redisUrl: LOCAL_REDIS,
    queuePrefix,
    storageDir,
    logDir: join(dir, 'logs'),
    adminToken,
    ...stackOptions,
  });
  const responses: string[] = [];
  const recordingFetch = async (request: Request): Promise<Response> => {
    const response = await fetch(request);
    responses.push(`${request.method} ${request.url} ${response.status} ${await response.clone().text()}`);
    return response;
  };
  const operator = createRepoVaultClient(stack.gatewayUrl, { adminToken }, { fetch: recordingFetch });
  return {
    stack,
    responses,
    adminToken,
    queuePrefix,
    storageDir,
    databaseUrl,
    operator,
    async newTenant() {
      const { data, error } = await operator.POST('/v1/tenants', { body: { name: `t-${randomBytes(4).toString('hex')}` } });
      if (!data) throw new Error(`tenant creation failed: ${JSON.stringify(error)}`);
      return { id: data.id, apiKey: data.apiKey, client: createRepoVaultClient(stack.gatewayUrl, { apiKey: data.apiKey }, { fetch: recordingFetch }) };
    },
    async stop() {
      await stack.stop();
      await deleteRedisPrefix(queuePrefix);
      rmSync(dir, { recursive: true, force: true });
      if (databaseName) await queryDatabase(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`, [], `${LOCAL_POSTGRES}/postgres`);
    },
  };
}
