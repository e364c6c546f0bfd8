import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { ApiKeyEntity } from '../api-keys/api-key.entity';
import { TenantEntity } from '../tenants/tenant.entity';
import { GatewayInit1763770000000 } from './migrations/1763770000000-gateway-init';

export const GATEWAY_SCHEMA = 'gateway';

export function gatewayDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: GATEWAY_SCHEMA,
    url,
    entities: [TenantEntity, ApiKeyEntity],
    migrations: [GatewayInit1763770000000],
    applicationName: 'repovault-api-gateway',
  };
}
