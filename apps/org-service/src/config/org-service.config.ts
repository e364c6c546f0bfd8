import { type ConfigOf, baseFields, databaseFields, httpPortField, peerTokensField, redisFields, internalUrlFields, env } from '@repovault/platform/config';

export const orgConfigSchema = {
  ...baseFields('org-service'),
  ...databaseFields,
  ...httpPortField('org-service'),
  ...peerTokensField,
  ...redisFields,
  ...internalUrlFields,
  REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS: env.boolean('let base URLs be http and private/loopback (simulators, labs)').default(false),
};

export type OrgServiceConfig = ConfigOf<typeof orgConfigSchema>;
export const ORG_SERVICE_CONFIG = Symbol('ORG_SERVICE_CONFIG');
