import { Redis } from 'ioredis';
import { LOCAL_REDIS, ThrowawayRedis, deleteRedisPrefix, freePort, uniqueQueuePrefix, workspaceRoot } from '../src';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

describe('test support', () => {
  it('finds the workspace root and free ports', async () => {
    expect(existsSync(join(workspaceRoot(), 'nx.json'))).toBe(true);
    const [a, b] = await Promise.all([freePort(), freePort()]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });

  it("removes exactly one prefix's keys", async () => {
    const mine = uniqueQueuePrefix('support');
    const other = uniqueQueuePrefix('support');
    const redis = new Redis(LOCAL_REDIS);
    try {
      await redis.set(`${mine}:a`, '1');
      await redis.set(`${other}:a`, '1');
      await deleteRedisPrefix(mine);
      expect(await redis.exists(`${mine}:a`)).toBe(0);
      expect(await redis.exists(`${other}:a`)).toBe(1);
      await deleteRedisPrefix(other);
    } finally {
      redis.disconnect();
    }
  });

  it('runs a redis-server of its own that can be stopped and started again', async () => {
    const throwaway = await ThrowawayRedis.create();
    const client = new Redis(throwaway.url, { maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    try {
      expect(await client.ping()).toBe('PONG');
      await throwaway.stop();
      await expect(client.ping()).rejects.toThrow();
      await throwaway.start();
      await new Promise((r) => setTimeout(r, 300));
      expect(await client.ping()).toBe('PONG');
    } finally {
      client.disconnect();
      await throwaway.stop();
    }
  });
});
