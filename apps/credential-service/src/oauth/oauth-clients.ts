import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Provider } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { OAuthClient, oauthEndpointsFor } from '@repovault/providers/oauth';
import type { Repository } from 'typeorm';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { ProviderRegistry } from '../providers/provider-registry';
import { SecretsService } from '../secrets/secrets.service';
import { OAuthAppEntity } from './oauth-app.entity';

/** Which OAuth application a grant belongs to: the operator's (standard mode) or a tenant's (advanced mode). */
export interface OAuthClientRef {
  tenantId: string;
  provider: Provider;
  apiBaseUrl: string;
  oauthAppId: string | null;
}

/**
 * Builds the passport-oauth2 client of an OAuth application with its secret: the operator's from
 * REPOVAULT_OAUTH_CLIENTS, a tenant's from its password manager (read when needed, never cached).
 */
@Injectable()
export class OAuthClients {
  constructor(
    @Inject(CREDENTIAL_SERVICE_CONFIG) private readonly config: CredentialServiceConfig,
    @InjectRepository(OAuthAppEntity) private readonly apps: Repository<OAuthAppEntity>,
    private readonly secrets: SecretsService,
    private readonly providers: ProviderRegistry,
  ) {}

  /** Whether the operator configured an application for this provider and host (standard mode). */
  hasOperatorClient(provider: Provider, apiBaseUrl: string): boolean {
    return (this.config.REPOVAULT_OAUTH_CLIENTS ?? []).some((c) => c.provider === provider && c.apiBaseUrl === apiBaseUrl);
  }

  async client(ref: OAuthClientRef, redirectUri = ''): Promise<{ client: OAuthClient; clientId: string }> {
    const endpoints = oauthEndpointsFor(ref.provider, ref.apiBaseUrl);
    const egress = { allowPrivateAddresses: this.config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS };
    if (ref.oauthAppId) {
      // removed applications still refresh the grants made with them
      const app = await this.apps.findOneBy({ id: ref.oauthAppId, tenantId: ref.tenantId });
      if (!app) throw ProblemException.notFound('OAuth application');
      const clientSecret = await this.secrets.reveal(ref.tenantId, app.clientSecretId);
      return { client: new OAuthClient({ endpoints, clientId: app.clientId, clientSecret, redirectUri, egress }), clientId: app.clientId };
    }
    const operator = (this.config.REPOVAULT_OAUTH_CLIENTS ?? []).find((c) => c.provider === ref.provider && c.apiBaseUrl === ref.apiBaseUrl);
    if (!operator) {
      const name = this.providers.support(ref.provider).displayName;
      throw ProblemException.unprocessable(
        'no-oauth-application',
        `No OAuth application is configured for ${name} at ${ref.apiBaseUrl}. Register your own with POST /v1/oauth-apps (advanced mode) and pass its id as oauthAppId.`,
      );
    }
    return { client: new OAuthClient({ endpoints, clientId: operator.clientId, clientSecret: operator.clientSecret, redirectUri, egress }), clientId: operator.clientId };
  }
}
