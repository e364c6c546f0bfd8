import { DEFAULT_WORKER_POOL, isValidPoolName } from '@repovault/contracts/jobs';
import { ConfigValueError, type ConfigOf, baseFields, databaseFields, httpPortField, peerTokensField, redisFields, internalUrlFields, env } from '@repovault/platform/config';

export const workerConfigSchema = {
  ...baseFields('backup-worker'),
  ...databaseFields,
  ...httpPortField('backup-worker'),
  ...peerTokensField,
  ...redisFields,
  ...internalUrlFields,
  STORAGE_DIR: env.string('where the local storage driver keeps snapshots').default('./data/snapshots'),
  REPOVAULT_WORKER_POOL: env.custom('the pool of workers this process serves (its queue; its service token must be bound to the same pool)', (raw) => {
    if (!isValidPoolName(raw)) throw new ConfigValueError(`must be 1-40 lowercase letters, digits and dashes (got "${raw}")`);
    return raw;
  }).default(DEFAULT_WORKER_POOL),
  REPOVAULT_WORKER_CONCURRENCY: env.integer('jobs this worker process runs at once', { min: 1, max: 256 }).default(8),
  REPOVAULT_MIRROR_DIR: env.string('cache of bare git mirrors (rebuilt when missing; no persistent volume needed)').default('./data/mirrors'),
  REPOVAULT_JOB_LOCK_SECONDS: env.integer('how long a job stays locked to a worker without a heartbeat (a killed worker\'s job is taken over after this)', { min: 5, max: 3600 }).default(60),
  REPOVAULT_METADATA_FULL_EXPORT_HOURS: env.integer('hours after which a metadata export reads everything again instead of only what changed (incremental exports cannot see deletions)', { min: 1, max: 24 * 90 }).default(24),
  REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS: env.boolean('let base URLs be http and private/loopback (simulators, labs)').default(false),
};

export type BackupWorkerConfig = ConfigOf<typeof workerConfigSchema>;
export const BACKUP_WORKER_CONFIG = Symbol('BACKUP_WORKER_CONFIG');
