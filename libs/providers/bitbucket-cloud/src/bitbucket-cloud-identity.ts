import { createHmac } from 'node:crypto';
import type { CredentialIdentity, RateLimitSnapshot } from '@repovault/providers/core';
import { bitbucketCloudTokenKindOf, isBitbucketCloudAccessToken } from './bitbucket-cloud-tokens';

/**
 * A keyed hash of a token, computed where the secret lives (the transport seam / credential-service)
 * with a key of RepoVault's own: the same token always gives the same fingerprint, and the
 * fingerprint reveals nothing about the token to whoever sees budget keys, logs or the adapter.
 */
export function bitbucketCloudTokenFingerprint(secret: string, key: string | Buffer): string {
  if (key.length === 0) throw new Error('a token fingerprint needs a non-empty key');
  return createHmac('sha256', key).update(`bitbucket-cloud-token\u0000${secret}`).digest('base64url');
}

export interface BitbucketCloudIdentityInput {
  /** budget host (api.bitbucket.org, a simulator's host:port) */
  host: string;
  /** `x-credential-type` of a response to this credential */
  credentialType: string | null;
  /** `x-oauth-scopes`, split; null when the response sent none */
  scopes: string[] | null;
  /** `GET /2.0/user` when the credential has a user (API tokens) */
  user?: { uuid: string; nickname?: string; display_name?: string; account_id?: string } | null;
  /** access tokens: `bitbucketCloudTokenFingerprint(token, key)`, handed over by the seam */
  tokenFingerprint?: string;
  rateLimit?: RateLimitSnapshot | null;
}

export class BitbucketCloudIdentityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BitbucketCloudIdentityError';
  }
}

/**
 * Who a Bitbucket Cloud credential is to the budget: API tokens (and the old app passwords) count
 * against their USER (`…:user:{uuid}`, so two API tokens of one account share one budget); a
 * repository, project or workspace access token has no user and counts against ITSELF: its key is
 * the token's keyed fingerprint (`…:access-token:<fingerprint>`), so the secret never has to reach
 * the adapter.
 */
export function bitbucketCloudIdentity(input: BitbucketCloudIdentityInput): CredentialIdentity {
  const tokenKind = bitbucketCloudTokenKindOf(input.credentialType);
  if (input.user) {
    return {
      provider: 'bitbucket-cloud',
      host: input.host,
      key: `bitbucket-cloud:${input.host}:user:${input.user.uuid}`,
      login: input.user.nickname ?? input.user.display_name ?? input.user.uuid,
      accountId: input.user.uuid,
      tokenKind: tokenKind === 'unknown' ? 'api-token' : tokenKind,
      scopes: input.scopes,
      rateLimit: input.rateLimit ?? null,
    };
  }
  if (!isBitbucketCloudAccessToken(tokenKind)) {
    throw new BitbucketCloudIdentityError(`Bitbucket Cloud did not say whose credential this is (credential type ${input.credentialType ?? 'none'})`);
  }
  if (!input.tokenFingerprint) {
    throw new BitbucketCloudIdentityError(
      `a Bitbucket Cloud ${tokenKind} has no user, so its budget identity is the token itself: pass its keyed fingerprint (bitbucketCloudTokenFingerprint) to the adapter`,
    );
  }
  return {
    provider: 'bitbucket-cloud',
    host: input.host,
    key: `bitbucket-cloud:${input.host}:access-token:${input.tokenFingerprint}`,
    login: `${tokenKind} ${input.tokenFingerprint.slice(0, 8)}`,
    accountId: input.tokenFingerprint,
    tokenKind,
    scopes: input.scopes,
    rateLimit: input.rateLimit ?? null,
  };
}
