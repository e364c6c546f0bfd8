import { Inject, Injectable } from '@nestjs/common';
import type { Provider } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { type CredentialSecret, ProviderNotSupportedError, type ProviderSupport, adapterFor, providerSupport } from '@repovault/providers/catalog';
import { type ProviderAdapter, type ProviderFetch, createEgressFetch } from '@repovault/providers/core';
import { ClaimsService } from '../claims/claims.service';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';

/**
 * Adapters for validating credentials. Every request is claimed (provisional budget) and goes
 * through the egress fetch (SSRF rules at connect time); the credential's authorization is added by
 * the catalog, never inside adapters.
 */
@Injectable()
export class ProviderRegistry {
  readonly egress: ProviderFetch;
  private readonly identityHashKey: string;

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig, private readonly claims: ClaimsService) {
    this.egress = createEgressFetch({ allowPrivateAddresses: config.REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS });
    this.identityHashKey = config.REPOVAULT_IDENTITY_HASH_KEY;
  }

  support(provider: Provider): ProviderSupport {
    try {
      return providerSupport(provider);
    } catch (error) {
      if (error instanceof ProviderNotSupportedError) throw ProblemException.unprocessable('provider-not-supported', `The ${provider} provider is not supported yet.`);
      throw error;
    }
  }

  /** The validation of `secret` named its identity: its calls so far are charged to that identity's budgets. */
  validationIdentified(provider: Provider, secret: string, identityKey: string): Promise<void> {
    return this.claims.chargeValidationCalls(provider, secret, identityKey);
  }

  adapterFor(provider: Provider, apiBaseUrl: string, credential: CredentialSecret): ProviderAdapter {
    this.support(provider);
    // validation calls go through the same seam, claimed on a provisional budget of the secret
    return adapterFor(provider, apiBaseUrl, this.claims.validationFetch(credential.secret, this.egress), credential, { identityHashKey: this.identityHashKey });
  }
}
