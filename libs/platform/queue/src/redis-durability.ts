import type { Redis } from 'ioredis';

/**
 * Redis holds the queues, schedules and events as well as the budgets: queues must survive a
 * restart, so production Redis runs with AOF persistence and never evicts keys.
 */
export interface RedisDurability {
  /** `yes` / `no`, or null when the server does not let us read its configuration (managed Redis) */
  appendonly: string | null;
  maxmemoryPolicy: string | null;
  problems: string[];
}

export async function checkRedisDurability(client: Redis): Promise<RedisDurability> {
  const [appendonly, maxmemoryPolicy] = await Promise.all([configValue(client, 'appendonly'), configValue(client, 'maxmemory-policy')]);
  const problems: string[] = [];
  if (appendonly !== null && appendonly !== 'yes') {
    problems.push('appendonly is "no": queues, schedules and events would be lost when Redis restarts; set appendonly yes (AOF)');
  }
  if (maxmemoryPolicy !== null && maxmemoryPolicy !== 'noeviction') {
    problems.push(`maxmemory-policy is "${maxmemoryPolicy}": Redis could evict queued jobs; set maxmemory-policy noeviction`);
  }
  return { appendonly, maxmemoryPolicy, problems };
}

/** CONFIG GET, or null when the server refuses it (many managed services rename or disable CONFIG). */
async function configValue(client: Redis, name: string): Promise<string | null> {
  try {
    const answer = (await client.call('CONFIG', 'GET', name)) as string[];
    return answer[1] ?? null;
  } catch {
    return null;
  }
}
