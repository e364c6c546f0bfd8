import { DEVELOPMENT_VAULT_KEYS, parseVaultKeys } from '../vault/vault-keyring';
import { type ConfigOf, baseFields, databaseFields, httpPortField, peerTokensField, redisFields, internalUrlFields, env } from '@repovault/platform/config';
import { parseGitHubAppsConfig, parseOperatorOAuthClients } from '@repovault/providers/oauth';

export const credentialConfigSchema = {
  ...baseFields('credential-service'),
  ...databaseFields,
  ...httpPortField('credential-service'),
  ...peerTokensField,
  ...redisFields,
  ...internalUrlFields,
  REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS: env.boolean('let base URLs be http and private/loopback (simulators, labs)').default(false),
  REPOVAULT_BUDGET_RESERVE_PERCENT: env.integer('share of each rate-limit budget left for people using the same tokens by hand', { min: 0, max: 50 }).default(1),
  REPOVAULT_PACING_BURST_PERCENT: env.integer('share of a window that may be spent at once before pacing spreads the rest to the reset', { min: 1, max: 100 }).default(5),
  REPOVAULT_GITHUB_CONCURRENCY: env.integer('concurrent requests per GitHub identity (GitHub refuses above 100)', { min: 1, max: 100 }).default(50),
  REPOVAULT_GITLAB_IP_LIMIT_PER_MINUTE: env.integer('GitLab requests per minute from this installation\'s address across all users (gitlab.com: 2000)', { min: 1 }).default(2000),
  REPOVAULT_BITBUCKET_CLOUD_LIMIT_PER_HOUR: env.integer('Bitbucket Cloud API requests per rolling hour for accounts whose responses carry no limit header (bitbucket.org: 1000)', { min: 1 }).default(1000),
  REPOVAULT_RATE_WINDOW_SCALE: env.integer('divides providers\' rate-limit windows: only for simulators and labs that run scaled time', { min: 1, max: 100_000 }).default(1),
  REPOVAULT_IDENTITY_HASH_KEY: env.string('key of the keyed hash that identifies Bitbucket access tokens in budgets').asSecret().default(({ production }) => (production ? undefined : 'repovault-development-identity-key')),
  REPOVAULT_GITHUB_APPS: env
    .custom('path of a JSON/YAML file describing the GitHub Apps: main and additional #1-#10 (appId, slug, privateKeyFile, baseUrl)', parseGitHubAppsConfig)
    .asSecret()
    .optional(),
  REPOVAULT_OAUTH_CLIENTS: env
    .custom("path of a JSON/YAML file listing the operator's OAuth applications for standard mode (provider, baseUrl, clientId, clientSecretFile)", parseOperatorOAuthClients)
    .asSecret()
    .optional(),
  REPOVAULT_VAULT_KEYS: env
    .custom('vault master keys, id:base64key comma-separated, the first is active', parseVaultKeys)
    .asSecret()
    .default(({ production }) => (production ? undefined : parseVaultKeys(DEVELOPMENT_VAULT_KEYS))),
};

export type CredentialServiceConfig = ConfigOf<typeof credentialConfigSchema>;
export const CREDENTIAL_SERVICE_CONFIG = Symbol('CREDENTIAL_SERVICE_CONFIG');

/** Whether the vault runs on the development key (warned loudly at start). */
export function usesDevelopmentVaultKey(config: CredentialServiceConfig): boolean {
  return config.REPOVAULT_VAULT_KEYS.some((k) => k.key.equals(parseVaultKeys(DEVELOPMENT_VAULT_KEYS)[0]?.key ?? Buffer.alloc(0)));
}
