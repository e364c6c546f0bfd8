import type { BitbucketCloudSeed } from './bitbucket-cloud-seed';

/**
 * The demo's Bitbucket Cloud: workspace `acme-ws` (projects CORE and WEB) with 50 repositories
 * (every third private, every tenth with LFS objects, every seventh with a wiki, every second with
 * its issue tracker enabled). `alice` owns it (API tokens `bbc-alice`, `bbc-alice-2`); `bob`,
 * `carol`, `dave` are members with one API token each, and dave also has `bbc-dave-git-only`
 * (repository read, no pull-request or issue read). `erin` still has an app password
 * (`bbc-erin-app-password`: answers 401). `mallory` (`bbc-mallory`) is no member. Access tokens:
 * `bbc-repo-token` (repo-0001), `bbc-project-token` (CORE) and `bbc-workspace-token`.
 */
export function bitbucketCloudDemoSeed(): BitbucketCloudSeed {
  const apiToken = (name: string): { name: string } => ({ name });
  return {
    users: [
      { login: 'alice', name: 'Alice Owner', tokens: [apiToken('bbc-alice'), apiToken('bbc-alice-2')] },
      { login: 'bob', name: 'Bob Member', tokens: [apiToken('bbc-bob')] },
      { login: 'carol', name: 'Carol Member', tokens: [apiToken('bbc-carol')] },
      {
        login: 'dave',
        name: 'Dave Member',
        tokens: [apiToken('bbc-dave'), { name: 'bbc-dave-git-only', scopes: ['read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket'] }],
      },
      { login: 'erin', name: 'Erin Legacy', tokens: [{ name: 'bbc-erin-app-password', kind: 'app-password' }] },
      { login: 'mallory', name: 'Mallory Outsider', tokens: [apiToken('bbc-mallory')] },
    ],
    workspaces: [
      {
        slug: 'acme-ws',
        name: 'ACME Workspace',
        owners: ['alice'],
        members: ['bob', 'carol', 'dave', 'erin'],
        projects: [
          { key: 'CORE', name: 'Core' },
          { key: 'WEB', name: 'Web' },
        ],
        issueTrackerEvery: 2,
        generate: { count: 50, namePrefix: 'repo', privateEvery: 3, lfsEvery: 10, wikiEvery: 7 },
        accessTokens: [
          { name: 'bbc-repo-token', kind: 'repository', repository: 'repo-0001', scopes: ['repository', 'pullrequest'] },
          { name: 'bbc-project-token', kind: 'project', project: 'CORE', scopes: ['project', 'pullrequest'] },
          { name: 'bbc-workspace-token', kind: 'workspace', scopes: ['repository', 'pullrequest', 'account'] },
        ],
      },
    ],
  };
}
