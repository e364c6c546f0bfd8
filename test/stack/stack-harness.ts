import { createRepoVaultClient, type RepoVaultClient } from '@repovault/contracts/public-api';
import { LocalStack, type LocalStackOptions, TEST_DATABASE_URL, LOCAL_REDIS, deleteRedisPrefix, uniqueQueuePrefix } from '@repovault/testing/support';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StackUnderTest {
  stack: LocalStack;
  adminToken: string;
  queuePrefix: string;
  storageDir: string;
  operator: RepoVaultClient;
  newTenant(): Promise<{ id: string; apiKey: string; client: RepoVaultClient }>;
  stop(): Promise<void>;
}

/** The whole stack on free ports, with its own queue prefix and storage, against the test database. */
export async function startStack(options: Partial<LocalStackOptions> = {}): Promise<StackUnderTest> {
  const adminToken = `rvadm_${randomBytes(16).toString('hex')}`;
  const queuePrefix = uniqueQueuePrefix('sys');
  const dir = mkdtempSync(join(tmpdir(), 'rv-stack-'));
  const storageDir = join(dir, 'snapshots');
  const stack = await LocalStack.start({
    databaseUrl: TEST_DATABASE_URL,
    redisUrl: LOCAL_REDIS,
    queuePrefix,
    storageDir,
    logDir: join(dir, 'logs'),
    adminToken,
    ...options,
  });
  const operator = createRepoVaultClient(stack.gatewayUrl, { adminToken });
  return {
    stack,
    adminToken,
    queuePrefix,
    storageDir,
    operator,
    async newTenant() {
      const { data, error } = await operator.POST('/v1/tenants', { body: { name: `t-${randomBytes(4).toString('hex')}` } });
      if (!data) throw new Error(`tenant creation failed: ${JSON.stringify(error)}`);
      return { id: data.id, apiKey: data.apiKey, client: createRepoVaultClient(stack.gatewayUrl, { apiKey: data.apiKey }) };
    },
    async stop() {
      await stack.stop();
      await deleteRedisPrefix(queuePrefix);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
