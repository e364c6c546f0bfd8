import { launchService } from '@repovault/platform/telemetry';
import { workerConfigSchema } from './config/backup-worker.config';

launchService('backup-worker', workerConfigSchema, () => require('./bootstrap') as typeof import('./bootstrap'));
