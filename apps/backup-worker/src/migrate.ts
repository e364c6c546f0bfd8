import { runMigrationsMain } from '@repovault/platform/database';
import { workerDataSourceSpec } from './database/worker-data-source';

runMigrationsMain('backup-worker', workerDataSourceSpec);
