import type { BitbucketDcSeed } from './bitbucket-dc-seed';

/**
 * The demo's Bitbucket Data Center: project `ENG` with 30 repositories (every tenth with LFS
 * objects). `alice` is its admin (personal tokens `bbdc-alice`, `bbdc-alice-2`); `bob`, `carol`,
 * `dave` have project read (`bbdc-bob`, `bbdc-carol`, `bbdc-dave`); `mallory` (`bbdc-mallory`) has
 * no access. `bbdc-project-eng` is a project token (PROJECT_READ) and `bbdc-repo-eng` a repository
 * token for repo-0001 (REPO_READ): both work as `Bearer` only.
 */
export function bitbucketDcDemoSeed(): BitbucketDcSeed {
  const personal = (name: string): { name: string } => ({ name });
  return {
    users: [
      { login: 'alice', name: 'Alice Admin', tokens: [personal('bbdc-alice'), personal('bbdc-alice-2')] },
      { login: 'bob', name: 'Bob Developer', tokens: [personal('bbdc-bob')] },
      { login: 'carol', name: 'Carol Developer', tokens: [personal('bbdc-carol')] },
      { login: 'dave', name: 'Dave Developer', tokens: [personal('bbdc-dave')] },
      { login: 'mallory', name: 'Mallory Outsider', tokens: [personal('bbdc-mallory')] },
    ],
    projects: [
      {
        key: 'ENG',
        name: 'Engineering',
        owners: ['alice'],
        members: ['bob', 'carol', 'dave'],
        generate: { count: 30, namePrefix: 'repo', privateEvery: 1, lfsEvery: 10 },
        accessTokens: [
          { name: 'bbdc-project-eng', kind: 'project', permissions: ['PROJECT_READ', 'REPO_READ'] },
          { name: 'bbdc-repo-eng', kind: 'repository', repository: 'repo-0001', permissions: ['REPO_READ'] },
        ],
      },
    ],
  };
}
