import type { GitHubAppRefusal } from '@repovault/contracts/internal-api';

/** The account a GitHub App was installed on. */
export interface InstalledAccount {
  id: number;
  login: string;
}

/** How the organization's main credential was registered, and for a main GitHub App, on which account. */
export type MainRegistration =
  | { method: 'github-app'; account: InstalledAccount }
  | { method: 'oauth' | 'token' };

/**
 * Condition 1 of the seed: the installing account had the permissions to install (GitHub did not
 * turn the installation into a request that an owner must approve).
 */
export function condition1(setupAction: string | undefined, account: string | null): GitHubAppRefusal | null {
  if (setupAction !== 'request') return null;
  return {
    condition: 1,
    code: 'installation-needs-approval',
    detail:
      'Condition 1 is not met: you do not have the required permissions to complete the installation. GitHub turned it into an installation request ' +
      `that an owner${account ? ` of ${account}` : ''} must approve. Install the app as an organization owner (or an account with repository administration rights) so that no approval is needed, then try again.`,
  };
}

/**
 * Condition 2 of the seed: the organization has main credentials for the GitHub account the
 * additional app is installed on. Registered through the main GitHub App: only accounts that have
 * the main app registered; registered through OAuth or a PAT: any account, other personal ones too.
 */
export function condition2(main: MainRegistration, installedOn: InstalledAccount, organization: string): GitHubAppRefusal | null {
  if (main.method !== 'github-app') return null;
  if (main.account.id === installedOn.id) return null;
  return {
    condition: 2,
    code: 'account-not-registered',
    detail:
      `Condition 2 is not met: register the account "${installedOn.login}" with the organization "${organization}" in RepoVault first. ` +
      `"${organization}" was registered through the main GitHub App, so additional GitHub Apps can only be added for accounts that already have the main GitHub App registered ` +
      `(here: "${main.account.login}"); additional apps for other accounts are not allowed.`,
  };
}
