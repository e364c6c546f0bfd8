import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { BackupWorkerInit1763770000000 } from './migrations/1763770000000-worker-init';

export const WORKER_SCHEMA = 'worker';

export function workerDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'worker',
    url,
    entities: [],
    migrations: [BackupWorkerInit1763770000000],
    applicationName: 'repovault-backup-worker',
  };
}
