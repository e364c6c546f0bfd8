/**
 * `node dist/apps/plan-service/src/check-redis.js`: refuses to go on (exit 1) when the Redis that
 * holds the queues, schedules and events would lose them on a restart (no AOF) or evict them. The
 * Helm chart runs it in its migrations hook, before anything is installed or upgraded.
 */
import { loadConfigOrExit, redisFields } from '@repovault/platform/config';
import { checkRedisDurability, redisConnectionOptions } from '@repovault/platform/queue';
import { Redis } from 'ioredis';

const { REDIS_URL } = loadConfigOrExit('plan-service check-redis', redisFields);
// one attempt: an unreachable Redis fails the step (the Job retries it), it is never mistaken for one that hides CONFIG
const client = new Redis({ ...redisConnectionOptions(REDIS_URL, 'producer'), connectionName: 'repovault-check-redis', lazyConnect: true, retryStrategy: () => null });
client.on('error', () => undefined);

client
  .connect()
  .then(() => checkRedisDurability(client))
  .then((durability) => {
    if (durability.problems.length > 0) {
      process.stderr.write(`Redis is not durable enough for RepoVault:\n${durability.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exitCode = 1;
    } else if (durability.appendonly === null || durability.maxmemoryPolicy === null) {
      process.stdout.write('Redis does not let RepoVault read its configuration (CONFIG is disabled): make sure it runs with appendonly yes and maxmemory-policy noeviction.\n');
    } else {
      process.stdout.write('Redis: appendonly yes, maxmemory-policy noeviction\n');
    }
  })
  .catch((error: unknown) => {
    process.stderr.write(`Redis cannot be reached: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => client.disconnect());
