import { type ConfigOf, baseFields, databaseFields, httpPortField, peerTokensField, redisFields, internalUrlFields, env } from '@repovault/platform/config';

export const planConfigSchema = {
  ...baseFields('plan-service'),
  ...databaseFields,
  ...httpPortField('plan-service'),
  ...peerTokensField,
  ...redisFields,
  ...internalUrlFields,
  STORAGE_DIR: env.string('where the local storage driver keeps snapshots').default('./data/snapshots'),
};

export type PlanServiceConfig = ConfigOf<typeof planConfigSchema>;
export const PLAN_SERVICE_CONFIG = Symbol('PLAN_SERVICE_CONFIG');
