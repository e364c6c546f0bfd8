import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { ConditionalRequestEntity } from '../conditional/conditional-request.entity';
import { BackupWorkerInit1763770000000 } from './migrations/1763770000000-worker-init';
import { ConditionalRequests1795313157282 } from './migrations/1795313157282-conditional-requests';

export const WORKER_SCHEMA = 'worker';

export function workerDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'worker',
    url,
    entities: [ConditionalRequestEntity],
    migrations: [BackupWorkerInit1763770000000, ConditionalRequests1795313157282],
    applicationName: 'repovault-backup-worker',
  };
}
