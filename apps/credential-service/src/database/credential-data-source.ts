import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { CredentialServiceInit1763770000000 } from './migrations/1763770000000-credential-init';

export const CREDENTIAL_SCHEMA = 'credential';

export function credentialDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'credential',
    url,
    entities: [],
    migrations: [CredentialServiceInit1763770000000],
    applicationName: 'repovault-credential-service',
  };
}
