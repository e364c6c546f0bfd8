import { type ConfigOf, baseFields, databaseFields, httpPortField, peerTokensField, redisFields, internalUrlFields, env } from '@repovault/platform/config';

export const credentialConfigSchema = {
  ...baseFields('credential-service'),
  ...databaseFields,
  ...httpPortField('credential-service'),
  ...peerTokensField,
  ...redisFields,
  ...internalUrlFields,
  REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS: env.boolean('let base URLs be http and private/loopback (simulators, labs)').default(false),
};

export type CredentialServiceConfig = ConfigOf<typeof credentialConfigSchema>;
export const CREDENTIAL_SERVICE_CONFIG = Symbol('CREDENTIAL_SERVICE_CONFIG');
