import { runMigrationsMain } from '@repovault/platform/database';
import { gatewayDataSourceSpec } from './database/gateway-data-source';

runMigrationsMain('api-gateway', gatewayDataSourceSpec);
