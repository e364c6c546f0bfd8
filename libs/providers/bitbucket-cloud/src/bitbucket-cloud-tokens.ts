/**
 * Bitbucket Cloud credentials by shape. Atlassian API tokens start `ATATT`, repository / project /
 * workspace access tokens `ATCTT`, app passwords `ATBB` (older app passwords: 20 letters and digits).
 */
export type BitbucketCloudSecretShape = 'api-token' | 'access-token' | 'app-password' | 'unknown';

export function classifyBitbucketCloudSecret(secret: string): BitbucketCloudSecretShape {
  if (secret.startsWith('ATATT')) return 'api-token';
  if (secret.startsWith('ATCTT')) return 'access-token';
  if (secret.startsWith('ATBB') || /^[A-Za-z0-9]{20}$/.test(secret)) return 'app-password';
  return 'unknown';
}

/** What `x-credential-type` says, as RepoVault names token kinds (`CredentialIdentity.tokenKind`). */
export type BitbucketCloudTokenKind = 'api-token' | 'repository-access-token' | 'project-access-token' | 'workspace-access-token' | 'app-password' | 'unknown';

const CREDENTIAL_TYPES: Record<string, BitbucketCloudTokenKind> = {
  api_token: 'api-token',
  repo_access_token: 'repository-access-token',
  project_access_token: 'project-access-token',
  workspace_access_token: 'workspace-access-token',
  app_password: 'app-password',
  apppassword: 'app-password',
};

export function bitbucketCloudTokenKindOf(credentialType: string | null | undefined): BitbucketCloudTokenKind {
  return (credentialType && CREDENTIAL_TYPES[credentialType.trim().toLowerCase()]) || 'unknown';
}

export function isBitbucketCloudAccessToken(kind: string): boolean {
  return kind === 'repository-access-token' || kind === 'project-access-token' || kind === 'workspace-access-token';
}

/** The day bitbucket.org stopped accepting app passwords (creating them was disabled on 2025-09-09). */
export const BITBUCKET_CLOUD_APP_PASSWORDS_ENDED = '2026-07-28';

export const BITBUCKET_CLOUD_APP_PASSWORD_EXPLANATION =
  `Bitbucket Cloud stopped accepting app passwords on ${BITBUCKET_CLOUD_APP_PASSWORDS_ENDED} (they could not be created since 2025-09-09), so this credential cannot work. ` +
  'Create an Atlassian API token with scopes instead (Atlassian account settings > Security > API tokens; scopes read:user:bitbucket, read:workspace:bitbucket, ' +
  'read:repository:bitbucket, read:pullrequest:bitbucket and read:issue:bitbucket) and add it with your Atlassian account email as the username, ' +
  'or create a repository, project or workspace access token with the repository and pullrequest scopes.';

/** Atlassian API token scopes a full backup needs (none implies another). */
export const BITBUCKET_CLOUD_API_TOKEN_SCOPES = {
  user: 'read:user:bitbucket',
  workspace: 'read:workspace:bitbucket',
  repository: 'read:repository:bitbucket',
  pullRequest: 'read:pullrequest:bitbucket',
  issue: 'read:issue:bitbucket',
} as const;

const IMPLIED_BY: Record<string, string[]> = {
  repository: ['repository:write', 'repository:admin', 'pullrequest', 'pullrequest:write', 'project', 'project:admin'],
  pullrequest: ['pullrequest:write'],
};

/** Whether an access token's OAuth-style scopes (`repository`, `pullrequest`, …) include `scope`, implications counted. */
export function hasBitbucketCloudAccessScope(granted: readonly string[], scope: string): boolean {
  return granted.includes(scope) || (IMPLIED_BY[scope] ?? []).some((parent) => hasBitbucketCloudAccessScope(granted, parent));
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Which kind a secret is: its shape first, then what the credential says it is, then the caller's guess. */
function kindFor(secret: string, tokenKind: string | null | undefined, fallback: 'api-token' | 'access-token'): 'api-token' | 'access-token' {
  const shape = classifyBitbucketCloudSecret(secret);
  if (shape === 'api-token' || shape === 'access-token') return shape;
  // OAuth access tokens go as access tokens do: `Bearer` for REST, `x-token-auth` for git
  if (tokenKind && (isBitbucketCloudAccessToken(tokenKind) || tokenKind === 'oauth')) return 'access-token';
  if (tokenKind === 'api-token') return 'api-token';
  return fallback;
}

/**
 * The Authorization header for REST calls: an API token is Basic with the Atlassian account EMAIL
 * and the token; an access token is `Bearer`. (An app password would be Basic with the username; it
 * is refused before it gets here.)
 */
export function bitbucketCloudAuthorization(secret: string, email: string | null | undefined, tokenKind?: string | null): string {
  if (kindFor(secret, tokenKind, email ? 'api-token' : 'access-token') === 'access-token') return `Bearer ${secret}`;
  if (!email) throw new Error('a Bitbucket Cloud API token is used with the Atlassian account email: none was given');
  return basic(email, secret);
}

/** Username git must send with each kind (the token is the password). */
export const BITBUCKET_CLOUD_GIT_USERNAMES = { apiToken: 'x-bitbucket-api-token-auth', accessToken: 'x-token-auth' } as const;

/**
 * The Authorization header for git smart HTTP and LFS on bitbucket.org: Basic
 * `x-bitbucket-api-token-auth:<API token>` or `x-token-auth:<access token>`. Send it as a header
 * (`http.extraHeader`), never in the clone URL.
 */
export function bitbucketCloudGitAuthorization(secret: string, tokenKind?: string | null): string {
  const kind = kindFor(secret, tokenKind, 'api-token');
  return basic(kind === 'access-token' ? BITBUCKET_CLOUD_GIT_USERNAMES.accessToken : BITBUCKET_CLOUD_GIT_USERNAMES.apiToken, secret);
}
