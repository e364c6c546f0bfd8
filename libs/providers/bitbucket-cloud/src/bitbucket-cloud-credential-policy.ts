import type { CredentialIdentity, CredentialPolicy, PolicyRefusal } from '@repovault/providers/core';
import {
  BITBUCKET_CLOUD_API_TOKEN_SCOPES, BITBUCKET_CLOUD_APP_PASSWORD_EXPLANATION, classifyBitbucketCloudSecret, hasBitbucketCloudAccessScope,
  isBitbucketCloudAccessToken,
} from './bitbucket-cloud-tokens';

const APP_PASSWORD: PolicyRefusal = { code: 'app-password-not-supported', detail: BITBUCKET_CLOUD_APP_PASSWORD_EXPLANATION };

/**
 * Bitbucket Cloud's rules: app passwords are refused (they stopped working on 2026-07-28; the
 * seeds still ask for them, so say what to create instead); API tokens and access tokens are
 * accepted for every role, and need repository read. Without pull request (or issue) read a
 * credential is git-only: accepted, with `capabilitiesOf(...).metadata` false.
 */
export const bitbucketCloudCredentialPolicy: CredentialPolicy = {
  beforeIdentify(secret: string): PolicyRefusal | null {
    return classifyBitbucketCloudSecret(secret.trim()) === 'app-password' ? APP_PASSWORD : null;
  },

  afterIdentify(identity: CredentialIdentity): PolicyRefusal | null {
    if (identity.tokenKind === 'app-password') return APP_PASSWORD;
    if (identity.scopes === null) return null;
    if (isBitbucketCloudAccessToken(identity.tokenKind)) {
      if (hasBitbucketCloudAccessScope(identity.scopes, 'repository')) return null;
      return {
        code: 'missing-scopes',
        detail: `This ${identity.tokenKind} cannot read repositories (its scopes: ${identity.scopes.join(', ') || 'none'}). Create one with the "repository" scope (and "pullrequest" to back up pull requests).`,
      };
    }
    if (identity.scopes.includes(BITBUCKET_CLOUD_API_TOKEN_SCOPES.repository)) return null;
    return {
      code: 'missing-scopes',
      detail: `The API token of ${identity.login} lacks ${BITBUCKET_CLOUD_API_TOKEN_SCOPES.repository} (it has: ${identity.scopes.join(', ') || 'none'}). ` +
        `Create an API token with ${Object.values(BITBUCKET_CLOUD_API_TOKEN_SCOPES).join(', ')} and add it again.`,
    };
  },
};
