import { launchService } from '@repovault/platform/telemetry';
import { credentialConfigSchema } from './config/credential-service.config';

launchService('credential-service', credentialConfigSchema, () => require('./bootstrap') as typeof import('./bootstrap'));
