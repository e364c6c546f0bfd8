import { DelegatedCredentialsService } from './credentials/delegated-credentials.service';
import { GitHubAppInstallEntity } from './github-apps/github-app-install.entity';
import { GitHubAppInstallsService } from './github-apps/github-app-installs.service';
import { GitHubAppRegistry } from './github-apps/github-app-registry';
import { GitHubAppsController } from './github-apps/github-apps.controller';
import { OAuthAppEntity } from './oauth/oauth-app.entity';
import { OAuthAppsController } from './oauth/oauth-apps.controller';
import { OAuthAppsService } from './oauth/oauth-apps.service';
import { OAuthAuthorizationEntity } from './oauth/oauth-authorization.entity';
import { OAuthAuthorizationsController } from './oauth/oauth-authorizations.controller';
import { OAuthAuthorizationsService } from './oauth/oauth-authorizations.service';
import { OAuthClients } from './oauth/oauth-clients';
import { OAuthTokenEntity } from './oauth/oauth-token.entity';
import { OAuthTokensService } from './oauth/oauth-tokens.service';

/** OAuth (standard and advanced mode) and GitHub Apps: what the module registers for them. */
export const DELEGATED_ENTITIES = [OAuthAppEntity, OAuthAuthorizationEntity, OAuthTokenEntity, GitHubAppInstallEntity];
export const DELEGATED_CONTROLLERS = [OAuthAppsController, OAuthAuthorizationsController, GitHubAppsController];
export const DELEGATED_PROVIDERS = [
  OAuthClients, OAuthAppsService, OAuthAuthorizationsService, OAuthTokensService, GitHubAppRegistry, GitHubAppInstallsService, DelegatedCredentialsService,
];
