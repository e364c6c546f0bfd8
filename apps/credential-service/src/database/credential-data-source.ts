import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { CredentialEntity } from '../credentials/credential.entity';
import { SecretEntity } from '../secrets/secret.entity';
import { CredentialServiceInit1763770000000 } from './migrations/1763770000000-credential-init';
import { SecretsAndCredentials1795309122807 } from './migrations/1795309122807-secrets-and-credentials';

export const CREDENTIAL_SCHEMA = 'credential';

export function credentialDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'credential',
    url,
    entities: [SecretEntity, CredentialEntity],
    migrations: [CredentialServiceInit1763770000000, SecretsAndCredentials1795309122807],
    applicationName: 'repovault-credential-service',
  };
}
