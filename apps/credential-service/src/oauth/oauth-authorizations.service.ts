import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  BrowserFlowResult, CreatedOAuthAuthorization, OAuthAuthorizationRecord, OrganizationTarget,
} from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { EgressBlockedError, checkBaseUrl } from '@repovault/providers/core';
import { OAuthGrantError, OAuthUnavailableError, type TokenSet } from '@repovault/providers/oauth';
import { randomUUID } from 'node:crypto';
import { type EntityManager, type Repository } from 'typeorm';
import { STATE_TTL_MS, newBrowserState, parseBrowserState } from '../browser-flows/browser-state';
import { STATE_REFUSALS, consumeState } from '../browser-flows/state-consumption';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { CredentialValidator } from '../credentials/credential-validator';
import { ProviderRegistry } from '../providers/provider-registry';
import { VaultService } from '../vault/vault.service';
import { OAuthAppEntity } from './oauth-app.entity';
import { organizationDefaultsOf } from './oauth-app-record';
import { OAuthAuthorizationEntity } from './oauth-authorization.entity';
import { toOAuthAuthorizationRecord } from './oauth-authorization-record';
import { OAuthClients } from './oauth-clients';
import type { CreateOAuthAuthorizationBody, OAuthCallbackBody } from './oauth.dto';

const TABLE = '"credential"."oauth_authorizations"';

/** A finished authorization an organization takes over as its main credential. */
export interface GrantTakeOver {
  tokens: TokenSet;
  oauthAppId: string | null;
  clientId: string;
}

/**
 * OAuth authorizations, standard mode (the operator's application) and advanced mode (a tenant's):
 * the consent URL with a single-use, tenant-bound, 10-minute state and a PKCE challenge; the
 * callback that exchanges the code with the matching verifier and seals the tokens; and the
 * hand-over of those tokens to exactly one organization.
 */
@Injectable()
export class OAuthAuthorizationsService {
  private readonly logger = new Logger('OAuthAuthorizations');

  constructor(
    @InjectRepository(OAuthAuthorizationEntity) private readonly authorizations: Repository<OAuthAuthorizationEntity>,
    @InjectRepository(OAuthAppEntity) private readonly apps: Repository<OAuthAppEntity>,
    private readonly clients: OAuthClients,
    private readonly validator: CredentialValidator,
    private readonly providers: ProviderRegistry,
    private readonly vault: VaultService,
    @Inject(CREDENTIAL_SERVICE_CONFIG) private readonly config: CredentialServiceConfig,
  ) {}

  async create(tenantId: string, body: CreateOAuthAuthorizationBody): Promise<CreatedOAuthAuthorization> {
    const support = this.providers.support(body.provider);
    const app = body.oauthAppId ? await this.apps.findOneBy({ id: body.oauthAppId, tenantId }) : null;
    if (body.oauthAppId && (!app || app.removedAt)) throw ProblemException.unprocessable('oauth-app-not-found', 'oauthAppId does not name an OAuth application of this tenant (see GET /v1/oauth-apps).');
    let apiBaseUrl: string;
    let baseUrl: string | null;
    if (app) {
      if (app.provider !== body.provider) throw ProblemException.unprocessable('oauth-app-provider-mismatch', `The OAuth application is for ${app.provider}, not ${body.provider}.`);
      if (body.baseUrl && support.apiBaseUrl(body.baseUrl) !== app.apiBaseUrl) {
        throw ProblemException.unprocessable('oauth-app-base-url-mismatch', `The OAuth application belongs to ${app.apiBaseUrl}; leave baseUrl out or give that instance.`);
      }
      apiBaseUrl = app.apiBaseUrl;
      baseUrl = app.baseUrl;
    } else {
      if (support.baseUrlRequired && !body.baseUrl) {
        throw ProblemException.badRequest(`baseUrl is required for ${support.displayName}.`, [{ field: 'baseUrl', message: 'baseUrl is required' }]);
      }
      try {
        apiBaseUrl = support.apiBaseUrl(body.baseUrl ?? null);
      } catch {
        throw ProblemException.badRequest('baseUrl must be a URL.', [{ field: 'baseUrl', message: 'not a URL' }]);
      }
      baseUrl = body.baseUrl ?? null;
    }
    try {
      await checkBaseUrl(apiBaseUrl, { allowPrivateAddresses: this.config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
    } catch (error) {
      if (error instanceof EgressBlockedError) throw ProblemException.unprocessable('base-url-not-allowed', `The base URL is not allowed: ${error.message}.`);
      throw error;
    }
    const id = randomUUID();
    const { client } = await this.clients.client({ tenantId, provider: body.provider, apiBaseUrl, oauthAppId: app?.id ?? null }, body.redirectUri);
    const { state, hash } = newBrowserState(id);
    const { url, codeVerifier } = await client.authorizationRequest(state);
    const entity = await this.authorizations.save(this.authorizations.create({
      id,
      tenantId,
      provider: body.provider,
      baseUrl,
      apiBaseUrl,
      oauthAppId: app?.id ?? null,
      redirectUri: body.redirectUri,
      stateHash: hash,
      stateUsedAt: null,
      expiresAt: new Date(Date.now() + STATE_TTL_MS),
      status: 'pending',
      failureReason: null,
      accountLogin: null,
      identityKey: null,
      ...this.vault.seal(tenantId, id, JSON.stringify({ codeVerifier })),
      completedAt: null,
      credentialId: null,
    }));
    return { ...toOAuthAuthorizationRecord(entity, app ? organizationDefaultsOf(app) : null), authorizeUrl: url };
  }

  async get(tenantId: string, id: string): Promise<OAuthAuthorizationRecord> {
    const entity = await this.authorizations.findOneBy({ id, tenantId });
    if (!entity) throw ProblemException.notFound('OAuth authorization');
    const app = entity.oauthAppId ? await this.apps.findOneBy({ id: entity.oauthAppId, tenantId }) : null;
    return toOAuthAuthorizationRecord(entity, app ? organizationDefaultsOf(app) : null);
  }

  /** The provider sent the browser back: the state is used up whatever happens next. */
  async callback(body: OAuthCallbackBody): Promise<BrowserFlowResult> {
    const parsed = parseBrowserState(body.state);
    if (!parsed) return refused(null, STATE_REFUSALS.unknown);
    const consumed = await consumeState(this.authorizations.manager, TABLE, parsed.flowId, parsed.hash);
    if (!consumed.ok) return refused(null, STATE_REFUSALS[consumed.reason]);
    const entity = await this.authorizations.findOneByOrFail({ id: parsed.flowId });
    const name = this.providers.support(entity.provider).displayName;
    const { codeVerifier } = JSON.parse(this.vault.open(sealedRow(entity))) as { codeVerifier: string | null };
    try {
      const { client, clientId } = await this.clients.client(
        { tenantId: entity.tenantId, provider: entity.provider, apiBaseUrl: entity.apiBaseUrl, oauthAppId: entity.oauthAppId },
        entity.redirectUri,
      );
      const tokens = await client.exchangeCode(body, codeVerifier);
      const { identity } = await this.validator.identifyGrant(entity.provider, entity.apiBaseUrl, tokens.accessToken, { kind: 'oauth', clientId });
      await this.authorizations.update({ id: entity.id }, {
        status: 'authorized',
        accountLogin: identity.login,
        identityKey: identity.key,
        completedAt: new Date(),
        // the verifier is spent; the sealed payload now holds the tokens
        ...this.vault.seal(entity.tenantId, entity.id, JSON.stringify(tokens)),
      });
      return {
        ok: true,
        id: entity.id,
        title: `${name} authorized`,
        detail: `The ${name} account "${identity.login}" authorized RepoVault. Return to RepoVault and connect the organization with authorization ${entity.id}.`,
      };
    } catch (error) {
      const reason = this.reasonOf(name, error);
      await this.authorizations.update({ id: entity.id }, { status: 'failed', failureReason: reason, completedAt: new Date(), keyId: null, wrappedKey: null, ciphertext: null });
      return refused(entity.id, reason);
    }
  }

  /**
   * An organization takes the grant over: only an authorized, unused authorization of this tenant,
   * for the same provider and host; it is marked used in the caller's transaction.
   */
  async takeOver(manager: EntityManager, tenantId: string, id: string, organization: OrganizationTarget, credentialId: string): Promise<GrantTakeOver> {
    const repository = manager.getRepository(OAuthAuthorizationEntity);
    const entity = await repository.findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
    if (!entity) throw ProblemException.unprocessable('authorization-not-found', 'authorizationId does not name an OAuth authorization of this tenant: start one with POST /v1/oauth/authorizations.');
    if (entity.status === 'pending') throw ProblemException.unprocessable('authorization-pending', 'The OAuth authorization is not finished: open its authorizeUrl, grant access, then try again.');
    if (entity.status === 'failed') throw ProblemException.unprocessable('authorization-failed', `The OAuth authorization failed (${entity.failureReason ?? 'no reason given'}); start a new one.`);
    if (entity.status === 'used') throw ProblemException.unprocessable('authorization-used', 'The OAuth authorization was already used for an organization; start a new one.');
    if (entity.provider !== organization.provider || entity.apiBaseUrl !== organization.apiBaseUrl) {
      throw ProblemException.unprocessable('authorization-mismatch', `The OAuth authorization is for ${entity.provider} at ${entity.apiBaseUrl}, not for this organization's provider and base URL.`);
    }
    const tokens = JSON.parse(this.vault.open(sealedRow(entity))) as TokenSet;
    const app = entity.oauthAppId ? await manager.getRepository(OAuthAppEntity).findOneBy({ id: entity.oauthAppId }) : null;
    const { clientId } = app ? { clientId: app.clientId } : await this.clients.client({ tenantId, provider: entity.provider, apiBaseUrl: entity.apiBaseUrl, oauthAppId: null });
    await repository.update({ id }, { status: 'used', credentialId, keyId: null, wrappedKey: null, ciphertext: null });
    return { tokens, oauthAppId: entity.oauthAppId, clientId };
  }

  private reasonOf(name: string, error: unknown): string {
    if (error instanceof OAuthGrantError) return `${name} refused: ${error.message} (${error.code})`;
    if (error instanceof OAuthUnavailableError) return `${name} could not be reached to finish the authorization: ${error.message}`;
    if (error instanceof ProblemException) return error.problem.detail;
    this.logger.error({ err: error }, 'OAuth callback failed');
    return 'the authorization could not be finished; start again';
  }
}

function refused(id: string | null, detail: string): BrowserFlowResult {
  return { ok: false, id, title: 'Authorization refused', detail };
}

function sealedRow(entity: OAuthAuthorizationEntity) {
  if (!entity.keyId || !entity.wrappedKey || !entity.ciphertext) throw ProblemException.unprocessable('authorization-empty', 'The OAuth authorization holds nothing any more; start a new one.');
  return { id: entity.id, tenantId: entity.tenantId, keyId: entity.keyId, wrappedKey: entity.wrappedKey, ciphertext: entity.ciphertext };
}
