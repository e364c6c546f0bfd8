import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { ConditionalRequestEntity } from '../conditional/conditional-request.entity';
import { RestoreLedgerEntity } from '../restore/restore-ledger.entity';
import { BackupWorkerInit1763770000000 } from './migrations/1763770000000-worker-init';
import { ConditionalRequests1795313157282 } from './migrations/1795313157282-conditional-requests';
import { RestoreLedger1795322131407 } from './migrations/1795322131407-restore-ledger';

export const WORKER_SCHEMA = 'worker';

export function workerDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'worker',
    url,
    entities: [ConditionalRequestEntity, RestoreLedgerEntity],
    migrations: [BackupWorkerInit1763770000000, ConditionalRequests1795313157282, RestoreLedger1795322131407],
    applicationName: 'repovault-backup-worker',
  };
}
