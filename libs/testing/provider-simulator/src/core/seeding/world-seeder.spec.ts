import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';
import { smallSeed } from '../../test-support/small-seed';
import type { SeedConfig } from './seed-config';
import { SeedConfigError, validateSeedConfig } from './seed-config-validation';

function snapshot(sim: RunningSimulator): unknown {
  return {
    tokens: sim.tokens,
    identities: Object.fromEntries(Object.entries(sim.tokens).map(([name, token]) => [name, sim.identityOf(token)])),
    repositories: sim.listRepositories('acme').map((name) => sim.repository('acme', name)),
  };
}

describe('deterministic seeding', () => {
  const config: SeedConfig = { ...smallSeed(3), seed: 'determinism' };
  let first: RunningSimulator;
  let second: RunningSimulator;
  let other: RunningSimulator;

  beforeAll(async () => {
    [first, second, other] = await Promise.all([
      startSimulator({ seed: config }),
      startSimulator({ seed: config, seedConcurrency: 1 }),
      startSimulator({ seed: { ...config, seed: 'another seed' } }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close(), other?.close()]);
  });

  it('gives the same tokens, ids, commit ids, LFS objects and metadata for the same config', () => {
    expect(snapshot(second)).toEqual(snapshot(first));
    expect(first.tokens.alice).toMatch(/^ghp_[0-9A-Za-z]{36}$/);
    expect(first.tokens['erin-fine-grained']).toMatch(/^github_pat_[0-9A-Za-z]{22}_[0-9A-Za-z]{59}$/);
    expect(first.identityOf(first.tokens.alice)).toBe('github:user:1001');
  });

  it('gives different tokens and commits for another seed string, with the same shape', () => {
    expect(other.tokens.alice).not.toBe(first.tokens.alice);
    const a = first.repository('acme', 'lfs-wiki');
    const b = other.repository('acme', 'lfs-wiki');
    expect(Object.keys(b.refs).filter((r) => !r.startsWith('refs/pull/') && !r.startsWith('refs/heads/'))).toEqual(
      Object.keys(a.refs).filter((r) => !r.startsWith('refs/pull/') && !r.startsWith('refs/heads/')),
    );
    expect(b.refs['refs/heads/main']).not.toBe(a.refs['refs/heads/main']);
    expect(b.metadataCounts.issues + b.metadataCounts.pulls).toBe(a.metadataCounts.issues + a.metadataCounts.pulls);
  });

  it('writes valid repositories with several branches, both kinds of tags, LFS pointers and wikis', async () => {
    const git = await TestGitClient.create();
    try {
      const dir = `${first.dataDir}/git/acme/lfs-wiki.git`;
      expect((await git.run(['--git-dir', dir, 'fsck', '--strict'])).code).toBe(0);
      const types = await git.run(['--git-dir', dir, 'for-each-ref', '--format=%(objecttype) %(refname)', 'refs/tags']);
      expect(types.stdout).toContain('tag refs/tags/v0.1.0');
      expect(types.stdout).toContain('commit refs/tags/v0.2.0');
      const summary = first.repository('acme', 'lfs-wiki');
      expect(Object.keys(summary.refs).filter((r) => r.startsWith('refs/heads/')).length).toBe(3);
      expect(summary.lfsOids).toHaveLength(3);
      expect(summary.hasWiki).toBe(true);
      expect(summary.wikiRefs['refs/heads/master']).toMatch(/^[0-9a-f]{40}$/);
      const attributes = await git.run(['--git-dir', dir, 'show', 'refs/heads/main:.gitattributes']);
      expect(attributes.stdout).toContain('filter=lfs');
      expect(first.repository('acme', 'svc-0002').private).toBe(true);
      expect(first.repository('acme', 'svc-0001').private).toBe(false);
    } finally {
      await git.dispose();
    }
  });
});

describe('seed config validation', () => {
  it('names the offending value', () => {
    expect(() => validateSeedConfig({ seed: 's', users: [{ login: 'a b' }], organizations: [] })).toThrow(/users\[0\]\.login/);
    expect(() => validateSeedConfig({ seed: 's', users: [], organizations: [{ login: 'o', owners: ['ghost'] }] })).toThrow(/unknown user "ghost"/);
    expect(() => validateSeedConfig({ seed: 's', users: [{ login: 'a' }], organizations: [{ login: 'o', owners: ['a'], repositories: [{ name: 'x', branches: -1 }] }] })).toThrow(
      /organizations\[0\]\.repositories\[0\]\.branches/,
    );
    expect(() =>
      validateSeedConfig({ seed: 's', users: [{ login: 'a', tokens: [{ name: 't' }, { name: 't' }] }], organizations: [] }),
    ).toThrow(SeedConfigError);
    expect(() => validateSeedConfig({ users: [] })).toThrow(/seed/);
  });
});
