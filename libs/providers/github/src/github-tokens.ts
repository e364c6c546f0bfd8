/** GitHub token kinds by prefix (PROVIDERS.md). */
export type GitHubTokenKind = 'classic-pat' | 'fine-grained-pat' | 'oauth' | 'app-user' | 'installation' | 'refresh' | 'unknown';

export function classifyGitHubToken(token: string): GitHubTokenKind {
  if (token.startsWith('github_pat_')) return 'fine-grained-pat';
  if (token.startsWith('ghp_')) return 'classic-pat';
  if (token.startsWith('gho_')) return 'oauth';
  if (token.startsWith('ghu_')) return 'app-user';
  if (token.startsWith('ghs_')) return 'installation';
  if (token.startsWith('ghr_')) return 'refresh';
  // pre-2021 classic tokens were 40 hex characters
  if (/^[0-9a-f]{40}$/.test(token)) return 'classic-pat';
  return 'unknown';
}

/** GitHub accepts `token` and `Bearer`; installation tokens are used the same way. */
export function githubAuthorization(token: string): string {
  return `token ${token}`;
}

/** Scopes a classic token or OAuth token needs to back up an organization, private repositories included. */
export const GITHUB_REQUIRED_SCOPES = ['repo'] as const;

/** Whether a granted scope list satisfies a required scope (GitHub scopes imply their children). */
export function hasGitHubScope(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  const parents: Record<string, string[]> = {
    'read:org': ['admin:org', 'write:org'],
    public_repo: ['repo'],
    'repo:status': ['repo'],
  };
  return (parents[required] ?? []).some((p) => granted.includes(p));
}
