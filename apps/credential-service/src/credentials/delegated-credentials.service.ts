import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { GitHubAppCredentialInput, OAuthCredentialInput, OrganizationTarget } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { secretScrubber } from '@repovault/platform/logging';
import { JobProducer } from '@repovault/platform/queue';
import type { Capabilities, CredentialIdentity, CredentialRole } from '@repovault/providers/core';
import { type GitHubAppInstallation, githubInstallationIdentityKey, githubRateLimitFrom } from '@repovault/providers/github';
import { renewalTime } from '@repovault/providers/oauth';
import { randomUUID } from 'node:crypto';
import type { EntityManager, Repository } from 'typeorm';
import { ClaimsService } from '../claims/claims.service';
import { GitHubAppInstallsService } from '../github-apps/github-app-installs.service';
import { GitHubAppRegistry } from '../github-apps/github-app-registry';
import { OAuthAuthorizationsService } from '../oauth/oauth-authorizations.service';
import { OAuthClients } from '../oauth/oauth-clients';
import { GrantRevokedError, OAuthTokensService } from '../oauth/oauth-tokens.service';
import { ProviderRegistry } from '../providers/provider-registry';
import { CredentialEntity } from './credential.entity';
import { CredentialValidator, type ValidatedCredential } from './credential-validator';

/** A short-lived secret as handed to a service that calls the provider. */
export interface LiveSecret {
  secret: string;
  expiresAt: Date | null;
  renewAt: Date | null;
}

const SLOTS = 'an additional GitHub App (appSlot 1–10)';

/**
 * Credentials the provider issues on the tenant's behalf rather than tokens the user pastes: an
 * OAuth grant (main credential of an organization onboarded by OAuth) and GitHub App installations
 * (main app: main credential; apps #1–#10: additional credentials). Their secrets are short-lived:
 * OAuth access tokens are refreshed, installation tokens minted again, before they expire.
 */
@Injectable()
export class DelegatedCredentialsService {
  constructor(
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
    private readonly authorizations: OAuthAuthorizationsService,
    private readonly tokens: OAuthTokensService,
    private readonly clients: OAuthClients,
    private readonly installs: GitHubAppInstallsService,
    private readonly apps: GitHubAppRegistry,
    private readonly validator: CredentialValidator,
    private readonly providers: ProviderRegistry,
    private readonly claims: ClaimsService,
    private readonly producer: JobProducer,
  ) {}

  async create(tenantId: string, organization: OrganizationTarget, input: OAuthCredentialInput | GitHubAppCredentialInput, role: CredentialRole): Promise<CredentialEntity> {
    return input.method === 'oauth' ? this.fromAuthorization(tenantId, organization, input, role) : this.fromInstallation(tenantId, organization, input, role);
  }

  /** The access token (refreshed when due) or installation token (minted again when due). */
  async liveSecret(entity: CredentialEntity): Promise<LiveSecret> {
    if (entity.method === 'oauth') {
      try {
        const token = await this.tokens.current(entity.tenantId, entity.id);
        return { secret: token.accessToken, expiresAt: token.expiresAt, renewAt: token.renewAt };
      } catch (error) {
        if (error instanceof GrantRevokedError) {
          await this.markInvalid(entity, error.detail);
          throw ProblemException.unprocessable('oauth-grant-revoked', `The OAuth grant of this credential no longer works: ${error.detail}.`);
        }
        throw error;
      }
    }
    const { slot, installationId } = await this.installs.installationOf(entity.id);
    const token = await this.apps.client(slot).installationToken(installationId);
    secretScrubber.register(token.token);
    return { secret: token.token, expiresAt: new Date(token.expiresAt), renewAt: new Date(renewalTime(token.issuedAt, token.expiresAt) ?? token.expiresAt) };
  }

  /** Checks the credential again (identity, scopes or permissions, access); a 422 when it no longer works. */
  async revalidate(entity: CredentialEntity, organization: OrganizationTarget): Promise<ValidatedCredential> {
    if (entity.method === 'oauth') {
      const { secret } = await this.liveSecret(entity);
      const { clientId } = await this.clientOf(entity);
      return this.validator.validate(organization, secret, entity.role, { username: null, email: null }, { kind: 'oauth', clientId });
    }
    const { slot, installationId } = await this.installs.installationOf(entity.id);
    const installation = await this.apps.client(slot).installation(installationId).catch(() => null);
    if (!installation || installation.suspendedAt) {
      throw ProblemException.unprocessable('installation-gone', `Installation ${installationId} of the GitHub App is ${installation ? 'suspended' : 'gone'} on GitHub; install the app again.`);
    }
    return this.installationCredential(slot, installation);
  }

  /** Removed credentials keep no OAuth tokens (installation tokens are never stored). */
  async forget(tenantId: string, credentialIds: string[]): Promise<void> {
    await this.tokens.discard(tenantId, credentialIds);
  }

  private async fromAuthorization(tenantId: string, organization: OrganizationTarget, input: OAuthCredentialInput, role: CredentialRole): Promise<CredentialEntity> {
    if (role !== 'main') {
      throw ProblemException.unprocessable('oauth-not-additional', 'An OAuth authorization connects an organization (its main credential); add additional credentials as tokens or additional GitHub Apps.');
    }
    const id = randomUUID();
    return this.credentials.manager.transaction(async (manager) => {
      const grant = await this.authorizations.takeOver(manager, tenantId, input.authorizationId, organization, id);
      const validated = await this.validator.validate(organization, grant.tokens.accessToken, 'main', { username: null, email: null }, { kind: 'oauth', clientId: grant.clientId });
      const entity = await this.save(manager, tenantId, organization, id, 'oauth', role, validated);
      await this.tokens.store(manager, tenantId, id, { provider: organization.provider, apiBaseUrl: organization.apiBaseUrl, oauthAppId: grant.oauthAppId }, grant.tokens);
      return entity;
    });
  }

  private async fromInstallation(tenantId: string, organization: OrganizationTarget, input: GitHubAppCredentialInput, role: CredentialRole): Promise<CredentialEntity> {
    if (organization.provider !== 'github') throw ProblemException.unprocessable('github-app-not-github', 'GitHub Apps are for GitHub organizations only.');
    if (role === 'main' && input.appSlot !== undefined) {
      throw ProblemException.badRequest('Organizations are connected with the main GitHub App: leave appSlot out (apps #1–#10 are for additional credentials).', [{ field: 'auth.appSlot', message: 'not allowed' }]);
    }
    if (role === 'additional' && (input.appSlot === undefined || !Number.isInteger(input.appSlot) || input.appSlot < 1 || input.appSlot > 10)) {
      throw ProblemException.badRequest(`Additional credentials use ${SLOTS}; the main GitHub App connects organizations.`, [{ field: 'appSlot', message: 'give 1–10' }]);
    }
    const slot = role === 'main' ? 0 : (input.appSlot ?? 0);
    const id = randomUUID();
    return this.credentials.manager.transaction(async (manager) => {
      const installation = await this.installs.takeOver(manager, tenantId, organization, slot, input.installationId, id);
      const validated = await this.installationCredential(slot, installation);
      return this.save(manager, tenantId, organization, id, 'github-app', role, validated);
    });
  }

  /**
   * The installation is the budget identity (every token of it shares one); a fresh token proves
   * the app can act for it, and `/rate_limit` (free) tells the budget.
   */
  private async installationCredential(slot: number, installation: GitHubAppInstallation): Promise<ValidatedCredential> {
    const client = this.apps.client(slot);
    const token = await client.installationToken(installation.id);
    secretScrubber.register(token.token);
    const permissions = installation.permissions;
    const capabilities: Capabilities = { git: permissions['contents'] !== undefined, metadata: permissions['issues'] !== undefined && permissions['pull_requests'] !== undefined };
    if (!capabilities.git) {
      throw ProblemException.unprocessable('missing-permissions', 'The GitHub App installation cannot read repository contents: give the app "Contents: read" (and "Issues" and "Pull requests: read" for metadata).');
    }
    const fetch = this.claims.validationFetch(token.token, this.providers.egress);
    const apiBaseUrl = this.apps.settings(slot).apiBaseUrl.replace(/\/$/, '');
    const response = await fetch(`${apiBaseUrl}/rate_limit`, { headers: { authorization: `token ${token.token}`, accept: 'application/vnd.github+json' } });
    // the egress fetch is undici's: copy its headers into a plain record
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    await response.arrayBuffer().catch(() => undefined);
    const identity: CredentialIdentity = {
      provider: 'github',
      host: client.host,
      key: githubInstallationIdentityKey(client.host, installation.id),
      login: installation.account.login,
      accountId: String(installation.account.id),
      tokenKind: 'installation',
      scopes: null,
      rateLimit: response.ok ? githubRateLimitFrom(headers) : null,
    };
    return { identity, capabilities };
  }

  private async save(manager: EntityManager, tenantId: string, organization: OrganizationTarget, id: string, method: 'oauth' | 'github-app', role: CredentialRole, validated: ValidatedCredential): Promise<CredentialEntity> {
    const repository = manager.getRepository(CredentialEntity);
    const { identity, capabilities } = validated;
    return repository.save(repository.create({
      id,
      tenantId,
      organizationId: organization.id,
      role,
      method,
      username: null,
      email: null,
      secretId: null,
      provider: organization.provider,
      apiBaseUrl: organization.apiBaseUrl,
      organizationName: organization.name,
      identityKey: identity.key,
      identityLogin: identity.login,
      tokenKind: identity.tokenKind,
      scopes: identity.scopes,
      rateLimit: identity.rateLimit,
      capabilities,
      status: 'valid',
      statusReason: null,
      lastUsedAt: null,
      removedAt: null,
    }));
  }

  private async clientOf(entity: CredentialEntity): Promise<{ clientId: string }> {
    const row = await this.tokens.grantOf(entity.tenantId, entity.id);
    return this.clients.client({ tenantId: entity.tenantId, provider: entity.provider, apiBaseUrl: entity.apiBaseUrl, oauthAppId: row.oauthAppId });
  }

  private async markInvalid(entity: CredentialEntity, reason: string): Promise<void> {
    if (entity.status === 'invalid') return;
    await this.credentials.update({ id: entity.id }, { status: 'invalid', statusReason: reason });
    await this.producer.publish({ type: 'credential.invalidated', tenantId: entity.tenantId, organizationId: entity.organizationId, credentialId: entity.id, reason: 'unauthorized' });
  }
}
