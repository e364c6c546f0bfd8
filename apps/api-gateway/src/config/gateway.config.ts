import { type ConfigOf, baseFields, databaseFields, env, gatewayPortField, internalUrlFields } from '@repovault/platform/config';
import { randomBytes } from 'node:crypto';

export const gatewayConfigSchema = {
  ...baseFields('api-gateway'),
  ...databaseFields,
  ...gatewayPortField,
  ...internalUrlFields,
  REPOVAULT_ADMIN_TOKEN: env
    .string('operator token for POST /v1/tenants')
    .asSecret()
    // development: generated at start and printed once; production: required
    .default(({ production }) => (production ? undefined : `rvadm_${randomBytes(24).toString('base64url')}`)),
  REPOVAULT_PUBLIC_URL: env.url('public base URL of the API, used in links and OAuth callbacks', ['http', 'https']).optional(),
};

export type GatewayConfig = ConfigOf<typeof gatewayConfigSchema>;
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
