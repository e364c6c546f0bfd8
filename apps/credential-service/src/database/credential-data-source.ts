import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { CredentialEntity } from '../credentials/credential.entity';
import { SecretEntity } from '../secrets/secret.entity';
import { GitHubAppInstallEntity } from '../github-apps/github-app-install.entity';
import { OAuthAppEntity } from '../oauth/oauth-app.entity';
import { OAuthAuthorizationEntity } from '../oauth/oauth-authorization.entity';
import { OAuthTokenEntity } from '../oauth/oauth-token.entity';
import { CredentialServiceInit1763770000000 } from './migrations/1763770000000-credential-init';
import { SecretsAndCredentials1795309122807 } from './migrations/1795309122807-secrets-and-credentials';
import { OAuthAndGitHubApps1795320673996 } from './migrations/1795320673996-oauth-and-github-apps';
import { GitHubAppInstallApps1795322130559 } from './migrations/1795322130559-github-app-install-apps';

export const CREDENTIAL_SCHEMA = 'credential';

export function credentialDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'credential',
    url,
    entities: [SecretEntity, CredentialEntity, OAuthAppEntity, OAuthAuthorizationEntity, OAuthTokenEntity, GitHubAppInstallEntity],
    migrations: [CredentialServiceInit1763770000000, SecretsAndCredentials1795309122807, OAuthAndGitHubApps1795320673996, GitHubAppInstallApps1795322130559],
    applicationName: 'repovault-credential-service',
  };
}
