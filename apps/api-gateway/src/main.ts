import { launchService } from '@repovault/platform/telemetry';
import { gatewayConfigSchema } from './config/gateway.config';

launchService('api-gateway', gatewayConfigSchema, () => require('./bootstrap') as typeof import('./bootstrap'));
