import type { GitlabSeedConfig, GitlabTokenSeed } from './gitlab-seed';

const BACKUP_SCOPES = ['read_api', 'read_repository'];

function pat(name: string, scopes: string[] = BACKUP_SCOPES): GitlabTokenSeed {
  return { name, kind: 'personal', scopes, expiresAt: '2099-12-31' };
}

/**
 * The GitLab demo world, part of `demoSeed()` (for a GitLab-only world: `{ seed, users: [], organizations: [], gitlab: gitlabDemoSeed() }`).
 *
 * Private group `acme-group` (owner alice; bob developer, carol reporter, dave developer) with 40
 * projects (`web` plus `svc-0001…svc-0039`) and subgroup `acme-group/platform` with 10
 * (`platform-0001…0010`): 50 projects, every tenth/fifth with LFS objects, every seventh/fourth
 * with a wiki, all with issues, merge requests, notes, releases (two links each: an upload and an
 * external URL), labels and milestones; two group labels and a milestone on `acme-group`, one each
 * on the subgroup.
 *
 * Tokens (keys of `RunningSimulator.tokens`): `gl-alice` and `gl-alice-2` (two personal tokens of one
 * user: one identity), `gl-alice-oauth` (OAuth, `api`), `gl-alice-expired` (expired 2024-06-30),
 * `gl-bob`, `gl-carol`, `gl-dave` (only `read_api`: no git), `gl-mallory` (an outsider),
 * `gl-project-bot` (project access token of `acme-group/web`, reporter) and `gl-group-bot` (group
 * access token of `acme-group`, reporter) — each bot is an identity of its own.
 */
export function gitlabDemoSeed(): GitlabSeedConfig {
  return {
    users: [
      {
        username: 'alice',
        name: 'Alice Owner',
        tokens: [pat('gl-alice'), pat('gl-alice-2'), { name: 'gl-alice-oauth', kind: 'oauth', scopes: ['api'] }, { ...pat('gl-alice-expired'), expiresAt: '2024-06-30' }],
      },
      { username: 'bob', name: 'Bob Developer', tokens: [pat('gl-bob')] },
      { username: 'carol', name: 'Carol Reporter', tokens: [pat('gl-carol')] },
      { username: 'dave', name: 'Dave Developer', tokens: [pat('gl-dave', ['read_api'])] },
      { username: 'mallory', name: 'Mallory Outsider', tokens: [pat('gl-mallory')] },
    ],
    groups: [
      {
        path: 'acme-group',
        name: 'ACME Group',
        visibility: 'private',
        owners: ['alice'],
        members: ['bob', { username: 'carol', accessLevel: 'reporter' }, 'dave'],
        labels: 2,
        milestones: 1,
        accessTokens: [{ name: 'gl-group-bot', accessLevel: 'reporter', expiresAt: '2099-12-31' }],
        projects: [
          {
            name: 'web',
            lfsObjects: 2,
            wiki: true,
            metadata: { assetsPerRelease: 2 },
            accessTokens: [{ name: 'gl-project-bot', accessLevel: 'reporter', expiresAt: '2099-12-31' }],
          },
        ],
        generate: { count: 39, namePrefix: 'svc', lfsEvery: 10, wikiEvery: 7, template: { metadata: { assetsPerRelease: 2 } } },
        subgroups: [
          {
            path: 'platform',
            name: 'Platform',
            labels: 1,
            milestones: 1,
            generate: { count: 10, namePrefix: 'platform', lfsEvery: 5, wikiEvery: 4, template: { metadata: { assetsPerRelease: 2 } } },
          },
        ],
      },
    ],
  };
}
