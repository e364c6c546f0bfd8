import type { GitLabTokenKind } from './gitlab-tokens';

/**
 * Authorization header for git smart HTTP and LFS against GitLab: Basic with the username `oauth2`
 * and the token as password. OAuth tokens work only under that username; personal, project and
 * group access tokens take any username, so `oauth2` serves every kind. Send it as a header
 * (`http.extraHeader`), never inside a clone URL: URLs end up in logs, `.git/config` and process lists.
 */
export function gitlabGitAuthorization(secret: string, tokenKind?: GitLabTokenKind | string | null): string {
  void tokenKind; // the same for every kind; accepted so callers need not special-case GitLab
  return `Basic ${Buffer.from(`oauth2:${secret}`, 'utf8').toString('base64')}`;
}
