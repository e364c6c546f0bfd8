import { Client } from 'pg';
import { Redis } from 'ioredis';

export const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432';
export const LOCAL_REDIS = 'redis://127.0.0.1:6379';
/** Tests share one database; each test creates its own tenant instead of truncating tables. */
export const TEST_DATABASE_URL = `${LOCAL_POSTGRES}/repovault_test`;

/** A queue prefix of its own for a test, so jobs of parallel tests never meet. */
export function uniqueQueuePrefix(label = 'test'): string {
  return `${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Removes every Redis key of a test's queue prefix. */
export async function deleteRedisPrefix(prefix: string, url = LOCAL_REDIS): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function queryDatabase<T extends Record<string, unknown>>(sql: string, params: unknown[] = [], url = TEST_DATABASE_URL): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
