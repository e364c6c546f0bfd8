/**
 * Data Center HTTP access tokens (personal, project, repository): `BBDC-` and base64 of
 * `<12-digit token id>:<random>` (tokens from before 8.x lack the prefix).
 */
export function isBitbucketDcToken(secret: string): boolean {
  if (secret.startsWith('BBDC-')) return true;
  try {
    return /^\d{12}:/.test(Buffer.from(secret, 'base64').toString('latin1'));
  } catch {
    return false;
  }
}

/**
 * The Authorization header for REST calls: `Bearer`, which every HTTP access token kind accepts
 * (project and repository tokens accept nothing else).
 */
export function bitbucketDcAuthorization(secret: string): string {
  return `Bearer ${secret}`;
}

/**
 * The Authorization header for git smart HTTP and LFS: `Bearer` too, sent with `http.extraHeader`.
 * Project and repository tokens fail as a Basic password; personal tokens would also work as the
 * password of their user, but one form for all kinds keeps the seam simple.
 */
export function bitbucketDcGitAuthorization(secret: string): string {
  return `Bearer ${secret}`;
}

/** What a Data Center credential is, as far as the API shows it (`CredentialIdentity.tokenKind`). */
export type BitbucketDcTokenKind = 'personal-token' | 'project-or-repository-token';

/** Permissions a backup needs: reading the project (all its repositories) and the repositories. */
export const BITBUCKET_DC_REQUIRED_PERMISSIONS = ['PROJECT_READ', 'REPO_READ'] as const;
