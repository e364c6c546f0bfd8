import { Inject, Injectable } from '@nestjs/common';
import type { OrganizationTarget } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import {
  type Capabilities, CredentialRejectedError, type CredentialIdentity, type CredentialRole, EgressBlockedError,
  UpstreamNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError, checkBaseUrl,
} from '@repovault/providers/core';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { ProviderRegistry } from '../providers/provider-registry';
import { type Delegation, bitbucketCloudOAuthCheck, delegatedIdentity } from '../oauth/oauth-identity';

export interface ValidatedCredential {
  identity: CredentialIdentity;
  capabilities: Capabilities;
}

/**
 * Checks a credential against its provider before anything is stored: egress rules for the base
 * URL, the provider's token rules, who the token belongs to, its scopes, and access to the
 * organization. Every refusal is a 422 that says what to do.
 */
@Injectable()
export class CredentialValidator {
  constructor(
    private readonly providers: ProviderRegistry,
    @Inject(CREDENTIAL_SERVICE_CONFIG) private readonly config: CredentialServiceConfig,
  ) {}

  async validate(
    target: OrganizationTarget,
    secret: string,
    role: CredentialRole,
    account: { username: string | null; email: string | null },
    /** an OAuth grant's access token rather than a token the user made */
    delegation?: Delegation,
  ): Promise<ValidatedCredential> {
    const { username, email } = account;
    const support = this.providers.support(target.provider);
    const name = support.displayName;
    try {
      await checkBaseUrl(target.apiBaseUrl, { allowPrivateAddresses: this.config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
    } catch (error) {
      if (error instanceof EgressBlockedError) throw ProblemException.unprocessable('base-url-not-allowed', `The base URL is not allowed: ${error.message}.`);
      throw error;
    }
    // a grant's access token has the provider's OAuth shape, not that of the tokens people paste
    const early = delegation ? null : support.policy.beforeIdentify(secret, role);
    if (early) throw ProblemException.unprocessable(early.code, early.detail);

    const adapter = this.providers.adapterFor(target.provider, target.apiBaseUrl, { secret, username, email, tokenKind: delegation ? 'oauth' : null });
    const identified = await this.upstream(name, () => adapter.identify());
    const identity = delegation ? delegatedIdentity(target.provider, identified, delegation) : identified;
    const consumer = delegation && target.provider === 'bitbucket-cloud' ? bitbucketCloudOAuthCheck(identity) : null;
    const refusal = consumer ? consumer.refusal : support.policy.afterIdentify(identity, role);
    if (refusal) throw ProblemException.unprocessable(refusal.code, refusal.detail);
    if (username && username.toLowerCase() !== identity.login.toLowerCase() && target.provider === 'github') {
      throw ProblemException.unprocessable(
        'username-mismatch',
        `The token belongs to ${name} account "${identity.login}", not "${username}"; fix the username or use that account's token.`,
      );
    }
    const access = await this.upstream(name, () => adapter.checkOrganizationAccess(target.name, identity));
    if (!access.hasAccess) {
      throw ProblemException.unprocessable(
        'no-organization-access',
        `The ${name} account "${identity.login}" cannot see the organization "${target.name}": make it a member of the organization (or give it access to the repositories to back up) and try again.`,
      );
    }
    await this.providers.validationIdentified(target.provider, secret, identity.key);
    return { identity, capabilities: consumer ? consumer.capabilities : adapter.capabilitiesOf(identity) };
  }

  /**
   * Who granted an OAuth authorization and whether the grant may back up (scopes), before any
   * organization is named: the access to it is checked when an organization takes the grant over.
   */
  async identifyGrant(provider: OrganizationTarget['provider'], apiBaseUrl: string, accessToken: string, delegation: Delegation): Promise<ValidatedCredential> {
    const support = this.providers.support(provider);
    const adapter = this.providers.adapterFor(provider, apiBaseUrl, { secret: accessToken, username: null, email: null, tokenKind: 'oauth' });
    const identity = delegatedIdentity(provider, await this.upstream(support.displayName, () => adapter.identify()), delegation);
    const consumer = provider === 'bitbucket-cloud' ? bitbucketCloudOAuthCheck(identity) : null;
    const refusal = consumer ? consumer.refusal : support.policy.afterIdentify(identity, 'main');
    if (refusal) throw ProblemException.unprocessable(refusal.code, refusal.detail);
    return { identity, capabilities: consumer ? consumer.capabilities : adapter.capabilitiesOf(identity) };
  }

  private async upstream<T>(name: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof CredentialRejectedError) {
        throw ProblemException.unprocessable('credential-rejected', `${name} rejected the token (401 Bad credentials): it is revoked, expired or mistyped. Create a new token and try again.`);
      }
      if (error instanceof UpstreamRateLimitedError) {
        throw ProblemException.unavailable('provider-rate-limited', `${name} is rate-limiting this account right now; try again in a few minutes.`);
      }
      if (error instanceof EgressBlockedError) {
        throw ProblemException.unprocessable('base-url-not-allowed', `The base URL is not allowed: ${error.message}.`);
      }
      if (error instanceof UpstreamUnavailableError) {
        throw ProblemException.unprocessable('provider-unreachable', `${name} could not be reached at the given base URL (${error.message}); check the URL.`);
      }
      if (error instanceof UpstreamNotFoundError) {
        throw ProblemException.unprocessable('provider-not-found', `${name} answered 404 for the account (${error.message}); check the base URL.`);
      }
      throw error;
    }
  }
}
