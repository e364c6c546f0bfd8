import type { CredentialIdentity, CredentialPolicy, CredentialRole, PolicyRefusal } from '@repovault/providers/core';
import { GITHUB_REQUIRED_SCOPES, classifyGitHubToken, hasGitHubScope } from './github-tokens';

/**
 * The competitor's rule (seeds): additional GitHub credentials must be personal access tokens
 * (classic); fine-grained tokens are refused. Classic tokens need the repo scope to read private
 * repositories and their issues and pull requests.
 */
export const githubCredentialPolicy: CredentialPolicy = {
  beforeIdentify(secret: string, role: CredentialRole): PolicyRefusal | null {
    const kind = classifyGitHubToken(secret);
    if (role === 'additional' && kind === 'fine-grained-pat') {
      return {
        code: 'fine-grained-token-not-supported',
        detail:
          'GitHub fine-grained personal access tokens (github_pat_…) are not supported as additional credentials: only personal access tokens (classic) are. ' +
          'Create a token (classic) with the "repo" scope for this account and add that instead.',
      };
    }
    if (kind === 'refresh') {
      return { code: 'unsupported-token', detail: 'This is a GitHub refresh token (ghr_…), which cannot call the API; use a personal access token (classic).' };
    }
    return null;
  },

  afterIdentify(identity: CredentialIdentity, role: CredentialRole): PolicyRefusal | null {
    if (identity.scopes === null) {
      if (role === 'additional') {
        return {
          code: 'fine-grained-token-not-supported',
          detail: `The token of ${identity.login} reports no OAuth scopes, so it is not a personal access token (classic); only classic tokens are supported as additional credentials.`,
        };
      }
      return null; // a fine-grained main token: its repository permissions decide, checked by access
    }
    const missing = GITHUB_REQUIRED_SCOPES.filter((scope) => !hasGitHubScope(identity.scopes ?? [], scope));
    if (missing.length > 0) {
      return {
        code: 'missing-scopes',
        detail: `The token of ${identity.login} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.map((s) => `"${s}"`).join(', ')} ` +
          `(it has: ${identity.scopes.length ? identity.scopes.join(', ') : 'none'}). Create a token (classic) with ${missing.join(', ')} and add it again.`,
      };
    }
    return null;
  },
};
