/**
 * `node rotate-vault-keys.js` (npm run vault:rotate-keys): after putting a new key first in
 * REPOVAULT_VAULT_KEYS (old keys after it), re-wraps every secret under the new active key.
 */
import { databaseFields, loadConfigOrExit } from '@repovault/platform/config';
import { serviceDataSourceOptions } from '@repovault/platform/database';
import { DataSource } from 'typeorm';
import { credentialConfigSchema } from './config/credential-service.config';
import { credentialDataSourceSpec } from './database/credential-data-source';
import { OAuthAuthorizationEntity } from './oauth/oauth-authorization.entity';
import { OAuthTokenEntity } from './oauth/oauth-token.entity';
import { SecretEntity } from './secrets/secret.entity';
import { rewrapAllSecrets } from './vault/rewrap-secrets';
import { VaultService } from './vault/vault.service';

const config = loadConfigOrExit('rotate-vault-keys', {
  ...databaseFields,
  REPOVAULT_ENV: credentialConfigSchema.REPOVAULT_ENV,
  REPOVAULT_VAULT_KEYS: credentialConfigSchema.REPOVAULT_VAULT_KEYS,
});

async function main(): Promise<void> {
  const dataSource = new DataSource(serviceDataSourceOptions(credentialDataSourceSpec(config.DATABASE_URL)));
  await dataSource.initialize();
  try {
    const vault = new VaultService(config);
    const { rewrapped, total } = await rewrapAllSecrets(dataSource.getRepository(SecretEntity), vault);
    process.stdout.write(`re-wrapped ${rewrapped} of ${total} secrets under key "${vault.keyring.active.id}"\n`);
    // OAuth grants are sealed the same way: their tokens and the pending authorizations' verifiers
    const tokens = await rewrapAllSecrets(dataSource.getRepository(OAuthTokenEntity), vault);
    const authorizations = await rewrapAllSecrets(dataSource.getRepository(OAuthAuthorizationEntity), vault);
    process.stdout.write(`re-wrapped ${tokens.rewrapped + authorizations.rewrapped} of ${tokens.total + authorizations.total} OAuth tokens and authorizations under key "${vault.keyring.active.id}"\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rotate-vault-keys failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
