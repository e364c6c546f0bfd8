import type { RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';

export type RedisRole = 'producer' | 'worker' | 'client';

/**
 * ioredis options from a URL. Producers fail fast when Redis is away (a request must not hang);
 * workers wait for Redis as long as it takes (BullMQ requires maxRetriesPerRequest: null).
 */
export function redisConnectionOptions(url: string, role: RedisRole): RedisOptions {
  const parsed = new URL(url);
  const options: RedisOptions = {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  };
  if (role === 'worker') return { ...options, maxRetriesPerRequest: null, enableReadyCheck: true };
  return { ...options, maxRetriesPerRequest: 1, enableOfflineQueue: false };
}

export function createRedisClient(url: string, role: RedisRole, name: string): Redis {
  const client = new Redis({ ...redisConnectionOptions(url, role), connectionName: name, lazyConnect: false });
  // connection errors are reported by readiness checks and retried; never crash the process
  client.on('error', () => undefined);
  return client;
}

/** Readiness check: PING on a dedicated connection. */
export function redisReadinessCheck(client: Redis) {
  return {
    name: 'redis',
    async check(): Promise<void> {
      if (client.status !== 'ready') throw new Error(`connection ${client.status}`);
      await client.ping();
    },
  };
}
