import { LOCAL_REDIS, LocalStack, ThrowawayPostgres, deleteRedisPrefix, migrateAll, uniqueQueuePrefix, waitUntil } from '@repovault/testing/support';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs against a PostgreSQL of its own on another port: the shared one is never stopped. */
describe('a PostgreSQL outage', () => {
  let pg: ThrowawayPostgres;
  let stack: LocalStack;
  const prefix = uniqueQueuePrefix('pg-outage');
  const dir = mkdtempSync(join(tmpdir(), 'rv-pg-outage-'));

  beforeAll(async () => {
    pg = await ThrowawayPostgres.create();
    migrateAll(pg.url);
    stack = await LocalStack.start({
      databaseUrl: pg.url, redisUrl: LOCAL_REDIS, queuePrefix: prefix, storageDir: join(dir, 's'), logDir: join(dir, 'logs'), adminToken: 'x-admin-token-for-test',
    });
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
    pg?.destroy();
    await deleteRedisPrefix(prefix);
    rmSync(dir, { recursive: true, force: true });
  });

  async function readiness(url: string): Promise<{ status: number; body: string }> {
    const response = await fetch(`${url}/health/ready`);
    return { status: response.status, body: await response.text() };
  }

  it('turns /health/ready into a 503 naming PostgreSQL and recovers without a restart', async () => {
    const urls = stack.processes.map((p) => p.url);
    for (const url of urls) expect((await readiness(url)).status).toBe(200);

    pg.stop();
    for (const url of urls) {
      await waitUntil(async () => (await readiness(url)).status === 503, { what: `${url} to report the outage` });
      const { body } = await readiness(url);
      expect(JSON.parse(body)).toMatchObject({ status: 503, detail: expect.stringMatching(/postgresql/) });
      expect(JSON.parse(body).checks.postgresql.status).toBe('down');
    }

    await pg.start();
    for (const url of urls) {
      await waitUntil(async () => (await readiness(url)).status === 200, { timeoutMs: 60_000, what: `${url} to recover` });
    }
    expect(stack.processes.every((p) => p.child.exitCode === null)).toBe(true);
  });
});
