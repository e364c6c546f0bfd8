import type { SeedConfig } from '../../core/seeding/seed-config';
import { validateSeedConfig } from '../../core/seeding/seed-config-validation';
import { startSimulator, type RunningSimulator } from '../../simulator';

/** Both Bitbucket flavours, small, next to a GitHub organization. */
function seed(seedString = 'bitbucket-seed'): SeedConfig {
  return {
    seed: seedString,
    users: [{ login: 'alice', tokens: [{ name: 'alice' }] }],
    organizations: [{ login: 'acme', owners: ['alice'], generate: { count: 1 } }],
    bitbucketCloud: {
      users: [{ login: 'alice', tokens: [{ name: 'bbc-alice' }] }],
      workspaces: [{ slug: 'ws', owners: ['alice'], repositories: [{ name: 'lfs', lfsObjects: 2, wiki: true }], generate: { count: 2 }, accessTokens: [{ name: 'bbc-ws', kind: 'workspace' }] }],
    },
    bitbucketDc: {
      users: [{ login: 'alice', tokens: [{ name: 'bbdc-alice' }] }],
      projects: [{ key: 'PRJ', owners: ['alice'], repositories: [{ name: 'lfs', lfsObjects: 2, wiki: true }], accessTokens: [{ name: 'bbdc-prj', kind: 'project' }] }],
    },
  };
}

function snapshot(sim: RunningSimulator): unknown {
  return {
    tokens: sim.tokens,
    identities: Object.fromEntries(Object.entries(sim.tokens).map(([name, token]) => [name, sim.identityOf(token)])),
    cloud: sim.listRepositories('ws').map((name) => sim.repository('ws', name)),
    dc: sim.listRepositories('PRJ').map((name) => sim.repository('PRJ', name)),
  };
}

describe('Bitbucket seeding', () => {
  let first: RunningSimulator;
  let second: RunningSimulator;
  let other: RunningSimulator;

  beforeAll(async () => {
    [first, second, other] = await Promise.all([startSimulator({ seed: seed() }), startSimulator({ seed: seed(), seedConcurrency: 1 }), startSimulator({ seed: seed('another') })]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close(), other?.close()]);
  });

  it('gives the same tokens, identities, commits, LFS objects and counts for the same config, others for another seed', () => {
    expect(snapshot(second)).toEqual(snapshot(first));
    expect(other.tokens['bbc-alice']).not.toBe(first.tokens['bbc-alice']);
    expect(other.repository('ws', 'lfs').refs['refs/heads/main']).not.toBe(first.repository('ws', 'lfs').refs['refs/heads/main']);
  });

  it('keeps each provider in a world of its own: same logins, different accounts and repositories', () => {
    expect(first.identityOf(first.tokens.alice)).toMatch(/^github:user:\d+$/);
    expect(first.identityOf(first.tokens['bbc-alice'])).toMatch(/^bitbucket-cloud:user:\{/);
    expect(first.identityOf(first.tokens['bbdc-alice'])).toBe('bitbucket-dc:user:alice');
    expect(first.listRepositories('acme')).toEqual(['repo-0001']);
    expect(first.listRepositories('ws')).toEqual(['lfs', 'repo-0001', 'repo-0002']);
    const cloud = first.repository('ws', 'lfs');
    expect(cloud.lfsOids).toHaveLength(2);
    expect(cloud.hasWiki).toBe(true);
    const dc = first.repository('PRJ', 'lfs');
    expect(dc.lfsOids).toHaveLength(2);
    expect(dc.hasWiki).toBe(false); // Data Center has no wikis
    expect(Object.keys(dc.refs).some((r) => r.startsWith('refs/pull-requests/'))).toBe(true);
    expect(Object.keys(cloud.refs).some((r) => r.startsWith('refs/pull'))).toBe(false);
  });

  it('adds and deletes repositories of Bitbucket owners', async () => {
    await first.addRepository('ws', { name: 'added', private: true });
    await first.addRepository('PRJ', { name: 'added' });
    expect(first.listRepositories('ws')).toContain('added');
    expect(first.repository('PRJ', 'added').bitbucketDc?.pullRequests).toBeGreaterThan(0);
    first.deleteRepository('ws', 'added');
    expect(first.listRepositories('ws')).not.toContain('added');
  });

  it('rejects invalid Bitbucket parts, naming the path', () => {
    const bad = (patch: (config: SeedConfig) => void): (() => void) => () => {
      const config = seed();
      patch(config);
      validateSeedConfig(config);
    };
    expect(bad((c) => c.bitbucketCloud?.workspaces[0].owners.push('nobody'))).toThrow(/bitbucketCloud\.workspaces\[0\]: unknown user "nobody"/);
    expect(bad((c) => c.bitbucketCloud && (c.bitbucketCloud.workspaces[0].slug = 'Bad_Slug'))).toThrow(/bitbucketCloud\.workspaces\[0\]\.slug/);
    expect(bad((c) => c.bitbucketCloud && (c.bitbucketCloud.workspaces[0].slug = 'acme'))).toThrow(/"acme" is already the name of an account or organization/);
    expect(bad((c) => c.bitbucketDc?.users[0].tokens?.push({ name: 'alice' }))).toThrow(/token name "alice" used twice/);
    expect(bad((c) => c.bitbucketDc?.projects[0].accessTokens?.push({ name: 'x', kind: 'repository', repository: 'missing' }))).toThrow(/bitbucketDc\.projects\[0\]\.accessTokens\[1\]\.repository/);
    expect(bad((c) => c.bitbucketDc && (c.bitbucketDc.projects[0].key = 'prj'))).toThrow(/bitbucketDc\.projects\[0\]\.key/);
  });
});
