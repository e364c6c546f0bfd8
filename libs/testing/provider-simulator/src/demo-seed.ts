import type { SeedConfig } from './core/seeding/seed-config';
import { bitbucketCloudDemoSeed } from './providers/bitbucket-cloud/bitbucket-cloud-demo-seed';
import { bitbucketDcDemoSeed } from './providers/bitbucket-dc/bitbucket-dc-demo-seed';
import { gitlabDemoSeed } from './providers/gitlab/gitlab-demo-seed';

/**
 * The demo world: organization `acme` with 50 small repositories (every third private, every tenth
 * with LFS objects, every seventh with a wiki, all with metadata). `alice` owns it and has two
 * classic tokens; `bob`, `carol`, `dave` are members with one classic token each; `erin` is a member
 * whose only token is fine-grained (granted `acme`, read); `mallory` has a classic token but is no member.
 * Bitbucket Cloud (workspace `acme-ws`, tokens `bbc-*`, see bitbucketCloudDemoSeed) and Data Center
 * (project `ENG`, tokens `bbdc-*`, see bitbucketDcDemoSeed) have worlds of their own.
 */
export function demoSeed(seed = 'repovault-demo'): SeedConfig {
  const classic = (name: string): { name: string; kind: 'classic'; scopes: string[] } => ({ name, kind: 'classic', scopes: ['repo', 'read:org'] });
  return {
    seed,
    users: [
      { login: 'alice', name: 'Alice Owner', tokens: [classic('alice'), classic('alice-2')] },
      { login: 'bob', name: 'Bob Member', tokens: [classic('bob')] },
      { login: 'carol', name: 'Carol Member', tokens: [classic('carol')] },
      { login: 'dave', name: 'Dave Member', tokens: [classic('dave')] },
      {
        login: 'erin',
        name: 'Erin Finegrained',
        tokens: [{ name: 'erin-fine-grained', kind: 'fine-grained', organizations: ['acme'], repositories: 'all', permission: 'read' }],
      },
      { login: 'mallory', name: 'Mallory Outsider', tokens: [classic('mallory')] },
    ],
    organizations: [
      {
        login: 'acme',
        name: 'ACME Corporation',
        owners: ['alice'],
        members: ['bob', 'carol', 'dave', 'erin'],
        generate: { count: 50, namePrefix: 'repo', privateEvery: 3, lfsEvery: 10, wikiEvery: 7 },
      },
    ],
    // Bitbucket Cloud workspace acme-ws (tokens bbc-*) and Data Center project ENG (tokens bbdc-*).
    bitbucketCloud: bitbucketCloudDemoSeed(),
    bitbucketDc: bitbucketDcDemoSeed(),
    // GitLab group acme-group with subgroup acme-group/platform, 50 projects (tokens gl-*; see gitlabDemoSeed).
    gitlab: gitlabDemoSeed(),
  };
}
