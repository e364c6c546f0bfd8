import type { CredentialIdentity, CredentialPolicy, PolicyRefusal } from '@repovault/providers/core';
import { isBitbucketDcToken } from './bitbucket-dc-tokens';

/**
 * Data Center's rules: HTTP access tokens (personal, project, repository); a backup of a project
 * (the organization) needs PROJECT_READ. `afterIdentify` refuses a token that can read no project at
 * all (a repository token, or a personal token without project permission); whether it can read
 * THIS project is `checkOrganizationAccess`'s answer.
 */
export const bitbucketDcCredentialPolicy: CredentialPolicy = {
  beforeIdentify(secret: string): PolicyRefusal | null {
    if (isBitbucketDcToken(secret.trim())) return null;
    return {
      code: 'unsupported-credential',
      detail: 'This does not look like a Bitbucket Data Center HTTP access token (BBDC-…). Create one under Manage account > HTTP access tokens ' +
        '(or in the project settings for a project token) with project read and repository read permissions, and add that instead of a password.',
    };
  },

  afterIdentify(identity: CredentialIdentity): PolicyRefusal | null {
    if (identity.scopes === null || identity.scopes.includes('PROJECT_READ')) return null;
    return {
      code: 'missing-permissions',
      detail: `The token of ${identity.login} cannot read any project (it can read: ${identity.scopes.join(', ') || 'nothing'}). ` +
        'Backing up a project needs PROJECT_READ: use a personal token with project read, or a project token, not a repository token.',
    };
  },
};
