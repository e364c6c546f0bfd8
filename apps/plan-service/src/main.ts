import { launchService } from '@repovault/platform/telemetry';
import { planConfigSchema } from './config/plan-service.config';

launchService('plan-service', planConfigSchema, () => require('./bootstrap') as typeof import('./bootstrap'));
