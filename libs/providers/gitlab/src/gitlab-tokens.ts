/** What a GitLab credential is, once `GET /personal_access_tokens/self` and `GET /user` have said so. */
export type GitLabTokenKind = 'personal' | 'project' | 'group' | 'oauth' | 'access-token';

/** What a secret looks like before anyone asked GitLab (prefixes are GitLab's defaults; self-managed may change them). */
export type GitLabSecretKind =
  | 'access-token' | 'oauth-access-token' | 'oauth-application-secret' | 'deploy-token' | 'runner-token' | 'job-token' | 'trigger-token'
  | 'feed-token' | 'incoming-email-token' | 'agent-token' | 'unknown';

const PREFIXES: Array<[string, GitLabSecretKind]> = [
  ['glpat-', 'access-token'],
  ['gloas-', 'oauth-application-secret'],
  ['gldt-', 'deploy-token'],
  ['glrt-', 'runner-token'],
  ['glrtr-', 'runner-token'],
  ['GR1348941', 'runner-token'],
  ['glcbt-', 'job-token'],
  ['glptt-', 'trigger-token'],
  ['glft-', 'feed-token'],
  ['glimt-', 'incoming-email-token'],
  ['glagent-', 'agent-token'],
];

export function classifyGitLabSecret(secret: string): GitLabSecretKind {
  for (const [prefix, kind] of PREFIXES) if (secret.startsWith(prefix)) return kind;
  // OAuth access tokens are 64 hexadecimal characters
  if (/^[0-9a-f]{64}$/.test(secret)) return 'oauth-access-token';
  return 'unknown';
}

/**
 * GitLab takes every token kind as `Authorization: Bearer` (OAuth tokens only that way), so one
 * header serves personal, project, group and OAuth tokens alike.
 */
export function gitlabAuthorization(secret: string): string {
  return `Bearer ${secret}`;
}

/** Scopes a backup needs: the API read-only (issues, merge requests…) and git over HTTPS. */
export const GITLAB_REQUIRED_SCOPES = ['read_api', 'read_repository'] as const;

/** Scopes that include another (`api` is full access; `write_repository` includes reading). */
const IMPLIED_BY: Record<string, readonly string[]> = {
  read_api: ['api'],
  read_repository: ['api', 'write_repository'],
  read_user: ['api', 'read_api'],
};

export function hasGitLabScope(granted: readonly string[], required: string): boolean {
  return granted.includes(required) || (IMPLIED_BY[required] ?? []).some((s) => granted.includes(s));
}
