import { launchService } from '@repovault/platform/telemetry';
import { orgConfigSchema } from './config/org-service.config';

launchService('org-service', orgConfigSchema, () => require('./bootstrap') as typeof import('./bootstrap'));
