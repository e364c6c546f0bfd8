import type { CredentialIdentity, CredentialPolicy, CredentialRole, PolicyRefusal } from '@repovault/providers/core';
import { isGitLabIdentity } from './gitlab-adapter';
import { classifyGitLabSecret, GITLAB_REQUIRED_SCOPES, hasGitLabScope, type GitLabTokenKind } from './gitlab-tokens';

const NOT_API_TOKENS: Record<string, string> = {
  'oauth-application-secret': 'an OAuth application secret (gloas-…)',
  'deploy-token': 'a deploy token (gldt-…)',
  'runner-token': 'a runner token',
  'job-token': 'a CI/CD job token (glcbt-…)',
  'trigger-token': 'a pipeline trigger token (glptt-…)',
  'feed-token': 'a feed token (glft-…)',
  'incoming-email-token': 'an incoming email token (glimt-…)',
  'agent-token': 'a Kubernetes agent token (glagent-…)',
};

const KIND_NAMES: Record<GitLabTokenKind, string> = {
  personal: 'personal access token',
  project: 'project access token',
  group: 'group access token',
  oauth: 'OAuth token',
  'access-token': 'access token',
};

/** When a token stops working: access tokens at 00:00 UTC of their `expires_at` date, OAuth tokens at their instant. */
export function gitlabTokenExpiry(expiresAt: string | null): number | null {
  if (expiresAt === null) return null;
  const at = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(expiresAt) ? `${expiresAt}T00:00:00Z` : expiresAt);
  return Number.isNaN(at) ? null : at;
}

/**
 * GitLab's rules for RepoVault: a token must be able to read the API (`read_api` or `api`) and
 * clone (`read_repository`, `write_repository` or `api`); expired or revoked tokens are refused.
 * Personal, project, group and OAuth tokens are all accepted (each project or group token is its own
 * bot identity with its own budget).
 */
export const gitlabCredentialPolicy: CredentialPolicy = {
  beforeIdentify(secret: string, role: CredentialRole): PolicyRefusal | null {
    void role;
    const kind = classifyGitLabSecret(secret);
    const described = NOT_API_TOKENS[kind];
    if (described) {
      return {
        code: 'unsupported-token',
        detail: `This looks like ${described}, which cannot read GitLab's REST API. Use a personal, project or group access token (glpat-…) with the read_api and read_repository scopes.`,
      };
    }
    return null;
  },

  afterIdentify(identity: CredentialIdentity, role: CredentialRole): PolicyRefusal | null {
    void role;
    const gitlab = isGitLabIdentity(identity) ? identity : null;
    const kind = KIND_NAMES[(gitlab?.tokenKind ?? 'access-token')];
    const whose = `The GitLab ${kind} of ${identity.login}`;
    if (gitlab?.gitlab.revoked || gitlab?.gitlab.active === false) {
      return { code: 'token-inactive', detail: `${whose} is revoked or inactive. Create a new token with the read_api and read_repository scopes and add it again.` };
    }
    const expiry = gitlabTokenExpiry(gitlab?.gitlab.expiresAt ?? null);
    if (expiry !== null && expiry <= Date.now()) {
      return { code: 'token-expired', detail: `${whose} expired on ${gitlab?.gitlab.expiresAt ?? ''}. Create a new token (or rotate this one) and add it again.` };
    }
    const scopes = identity.scopes ?? [];
    const missing = GITLAB_REQUIRED_SCOPES.filter((scope) => !hasGitLabScope(scopes, scope));
    if (missing.length > 0) {
      const cannot = missing.map((s) => (s === 'read_api' ? 'read issues, merge requests and releases (read_api)' : 'clone its repositories (read_repository)')).join(' or ');
      return {
        code: 'missing-scopes',
        detail: `${whose} lacks the scope${missing.length > 1 ? 's' : ''} ${missing.map((s) => `"${s}"`).join(' and ')} (it has: ${scopes.length > 0 ? scopes.join(', ') : 'none'}), so RepoVault could not ${cannot}. ` +
          `Edit the token's scopes in GitLab or create a ${kind} with read_api and read_repository, and add it again.`,
      };
    }
    return null;
  },
};
