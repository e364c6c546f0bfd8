import type { CredentialIdentity } from './provider-types';

export type CredentialRole = 'main' | 'additional';

/** Why a provider's rules refuse a credential: a stable code and a sentence a person can act on. */
export interface PolicyRefusal {
  code: string;
  detail: string;
}

/** A provider's rules for what credentials it accepts (token kinds, scopes). */
export interface CredentialPolicy {
  /** checks that need only the secret itself (e.g. a token's prefix) */
  beforeIdentify(secret: string, role: CredentialRole): PolicyRefusal | null;
  /** checks on what the provider said about the credential */
  afterIdentify(identity: CredentialIdentity, role: CredentialRole): PolicyRefusal | null;
}
