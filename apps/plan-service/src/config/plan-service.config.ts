import { isValidPoolName } from '@repovault/contracts/jobs';
import { ConfigValueError, type ConfigOf, baseFields, databaseFields, httpPortField, peerTokensField, redisFields, internalUrlFields, env } from '@repovault/platform/config';

export const planConfigSchema = {
  ...baseFields('plan-service'),
  ...databaseFields,
  ...httpPortField('plan-service'),
  ...peerTokensField,
  ...redisFields,
  ...internalUrlFields,
  STORAGE_DIR: env.string('where the local storage driver keeps snapshots').default('./data/snapshots'),
  REPOVAULT_WORKER_POOLS: env
    .custom('worker pools whose scaling figures /metrics exports, as pool=jobs per worker process, comma-separated (e.g. default=8,eu=4)', parseWorkerPools)
    .default(new Map([['default', 8]])),
};

/** `default=8,eu=4` → pool → jobs one worker process of that pool runs at once */
export function parseWorkerPools(raw: string): ReadonlyMap<string, number> {
  const pools = new Map<string, number>();
  for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [pool = '', concurrency = '8', ...rest] = entry.split('=');
    if (rest.length > 0 || !isValidPoolName(pool)) throw new ConfigValueError(`"${entry}" must be pool=concurrency with a pool of lowercase letters, digits and dashes`);
    const value = Number(concurrency);
    if (!Number.isInteger(value) || value < 1 || value > 256) throw new ConfigValueError(`the concurrency of pool "${pool}" must be an integer from 1 to 256`);
    if (pools.has(pool)) throw new ConfigValueError(`pool "${pool}" is listed twice`);
    pools.set(pool, value);
  }
  if (pools.size === 0) throw new ConfigValueError('must list at least one pool');
  return pools;
}

export type PlanServiceConfig = ConfigOf<typeof planConfigSchema>;
export const PLAN_SERVICE_CONFIG = Symbol('PLAN_SERVICE_CONFIG');
