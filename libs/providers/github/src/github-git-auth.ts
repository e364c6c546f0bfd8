/**
 * Authorization header for git smart HTTP against GitHub: the token is the password of the user
 * `x-access-token`, which works for every token kind (PATs, OAuth, App installation tokens).
 * Send it as a header (e.g. `http.extraHeader`), never inside the clone URL: URLs end up in logs,
 * in `.git/config` and in process listings.
 */
export function githubGitAuthorization(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')}`;
}
