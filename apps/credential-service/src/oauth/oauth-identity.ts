import type { Provider } from '@repovault/contracts/internal-api';
import { hasBitbucketCloudAccessScope } from '@repovault/providers/bitbucket-cloud';
import type { Capabilities, CredentialIdentity, PolicyRefusal } from '@repovault/providers/core';

/** How a delegated credential was obtained: it decides whose budget it draws from. */
export interface Delegation {
  kind: 'oauth';
  /** the OAuth application (consumer) that obtained the grant */
  clientId: string;
}

/**
 * Budgets belong to identities (PROVIDERS.md): an OAuth token of GitHub, GitLab or Data Center
 * counts against its user, as the adapter says; Bitbucket Cloud counts OAuth against the consumer.
 */
export function delegatedIdentity(provider: Provider, identity: CredentialIdentity, delegation: Delegation): CredentialIdentity {
  if (provider !== 'bitbucket-cloud') return identity;
  return { ...identity, key: `bitbucket-cloud:${identity.host}:oauth-consumer:${delegation.clientId}`, tokenKind: 'oauth' };
}

/**
 * Bitbucket Cloud consumers carry OAuth scopes (`repository`, `pullrequest`, `issue`), not the API
 * token ones its credential policy checks.
 */
export function bitbucketCloudOAuthCheck(identity: CredentialIdentity): { refusal: PolicyRefusal | null; capabilities: Capabilities } {
  const scopes = identity.scopes;
  if (scopes === null) return { refusal: null, capabilities: { git: true, metadata: true } };
  const git = hasBitbucketCloudAccessScope(scopes, 'repository');
  const capabilities = { git, metadata: git && hasBitbucketCloudAccessScope(scopes, 'pullrequest') };
  if (git) return { refusal: null, capabilities };
  return {
    refusal: {
      code: 'missing-scopes',
      detail: `The OAuth consumer cannot read repositories (its scopes: ${scopes.join(', ') || 'none'}). Give it the "repository" and "pullrequest" permissions in the workspace settings and authorize again.`,
    },
    capabilities,
  };
}
