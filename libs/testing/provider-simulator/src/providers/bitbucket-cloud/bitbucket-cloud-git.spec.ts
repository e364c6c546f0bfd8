import { createHash } from 'node:crypto';
import type { SeedConfig } from '../../core/seeding/seed-config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient, type GitResult } from '../../test-support/git-client';
import { basic } from './bitbucket-cloud-test-support';

/** A small Bitbucket Cloud world: workspace `ws` (projects A and B), tokens of every kind. */
function cloudSeed(): SeedConfig {
  return {
    seed: 'bitbucket-cloud-git',
    users: [],
    organizations: [],
    bitbucketCloud: {
      users: [
        { login: 'alice', tokens: [{ name: 'bbc-alice' }] },
        { login: 'dave', tokens: [{ name: 'bbc-dave-git-only', scopes: ['read:repository:bitbucket'] }] },
        { login: 'erin', tokens: [{ name: 'bbc-erin-app-password', kind: 'app-password' }] },
        { login: 'mallory', tokens: [{ name: 'bbc-mallory' }] },
      ],
      workspaces: [
        {
          slug: 'ws',
          owners: ['alice'],
          members: ['dave', 'erin'],
          projects: [{ key: 'A', repositories: ['private-lfs'] }, { key: 'B', repositories: ['other'] }],
          repositories: [
            { name: 'private-lfs', private: true, lfsObjects: 3, wiki: true, branches: 2, tags: 2 },
            { name: 'other', private: true },
          ],
          accessTokens: [
            { name: 'bbc-project-a', kind: 'project', project: 'A', scopes: ['project'] },
            { name: 'bbc-repo-other', kind: 'repository', repository: 'other', scopes: ['repository'] },
          ],
        },
      ],
    },
  };
}

interface BatchObject {
  oid: string;
  size: number;
  actions?: Record<string, { href: string; header: Record<string, string> }>;
  error?: { code: number };
}

describe('Bitbucket Cloud git over smart HTTP, wikis and LFS', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  const remote = (name: string): string => `${sim.bitbucketCloud.gitUrl}/ws/${name}.git`;
  const clone = (name: string, target: string, username: string, token: string): Promise<GitResult> =>
    git.run(['clone', '--mirror', remote(name), git.path(target)], { askpass: { username, token } });

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: cloudSeed(), bitbucketCloud: { gitLimit: 40 } }), TestGitClient.create()]);
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  it('clones --mirror with an API token as x-bitbucket-api-token-auth: exactly the seeded refs, no pull request refs', async () => {
    const result = await clone('private-lfs', 'api-token.git', 'x-bitbucket-api-token-auth', sim.tokens['bbc-alice']);
    expect(result.code).toBe(0);
    const summary = sim.repository('ws', 'private-lfs');
    expect(Object.keys(summary.refs).some((r) => r.startsWith('refs/pull'))).toBe(false);
    expect(Object.keys(summary.refs)).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/tags/v0.1.0', 'refs/tags/v0.2.0']));
    expect(await git.refs(git.path('api-token.git'))).toEqual(summary.refs);
    const stats = sim.stats().identities[sim.identityOf(sim.tokens['bbc-alice'])];
    expect(stats.byResource.git).toBeGreaterThanOrEqual(2);
    // The Bitbucket username works too; a git-only API token is enough to clone.
    expect((await clone('private-lfs', 'nickname.git', 'alice', sim.tokens['bbc-alice'])).code).toBe(0);
    expect((await clone('private-lfs', 'git-only.git', 'x-bitbucket-api-token-auth', sim.tokens['bbc-dave-git-only'])).code).toBe(0);
  });

  it('clones with an access token as x-token-auth, within the token resource only', async () => {
    expect((await clone('private-lfs', 'project.git', 'x-token-auth', sim.tokens['bbc-project-a'])).code).toBe(0);
    expect(await git.refs(git.path('project.git'))).toEqual(sim.repository('ws', 'private-lfs').refs);
    expect(sim.stats().identities[sim.identityOf(sim.tokens['bbc-project-a'])].byResource.git).toBeGreaterThanOrEqual(2);
    const outside = await clone('other', 'project-other.git', 'x-token-auth', sim.tokens['bbc-project-a']);
    expect(outside.code).not.toBe(0);
    expect(outside.stderr).toMatch(/not found/i);
    expect((await clone('other', 'repo-token.git', 'x-token-auth', sim.tokens['bbc-repo-other'])).code).toBe(0);
  });

  it('fails with a wrong token, an app password, the wrong username, or an outsider', async () => {
    const wrong = await clone('private-lfs', 'wrong.git', 'x-bitbucket-api-token-auth', 'ATATT3xFfGF0wrong');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failed/);
    expect((await clone('private-lfs', 'app.git', 'erin', sim.tokens['bbc-erin-app-password'])).code).not.toBe(0);
    expect((await clone('private-lfs', 'email.git', 'alice@example.com', sim.tokens['bbc-alice'])).code).not.toBe(0);
    expect((await clone('private-lfs', 'bad-user.git', 'x-bitbucket-api-token-auth', sim.tokens['bbc-project-a'])).code).not.toBe(0);
    const outsider = await clone('private-lfs', 'outsider.git', 'x-bitbucket-api-token-auth', sim.tokens['bbc-mallory']);
    expect(outsider.code).not.toBe(0);
    expect(outsider.stderr).toMatch(/not found/i);
    const anonymous = await git.run(['clone', '--mirror', remote('private-lfs'), git.path('anon.git')]);
    expect(anonymous.stderr).toContain('could not read Username');
  });

  it('serves the wiki at {slug}.git/wiki', async () => {
    const target = git.path('wiki.git');
    const result = await git.run(['clone', '--mirror', `${remote('private-lfs')}/wiki`, target], { askpass: { username: 'x-bitbucket-api-token-auth', token: sim.tokens['bbc-alice'] } });
    expect(result.code).toBe(0);
    const summary = sim.repository('ws', 'private-lfs');
    expect(summary.hasWiki).toBe(true);
    expect(await git.refs(target)).toEqual(summary.wikiRefs);
  });

  it('serves exactly the LFS objects the pointer files name, through the batch API', async () => {
    const target = git.path('api-token.git');
    const tree = await git.run(['--git-dir', target, 'ls-tree', '-r', 'refs/heads/main']);
    const objects: Array<{ oid: string; size: number }> = [];
    for (const blob of tree.stdout.split('\n').filter((l) => l.endsWith('.bin')).map((l) => l.split(/\s+/)[2])) {
      const text = (await git.run(['--git-dir', target, 'cat-file', 'blob', blob])).stdout;
      objects.push({ oid: /oid sha256:([0-9a-f]{64})/.exec(text)?.[1] ?? '', size: Number(/size (\d+)/.exec(text)?.[1]) });
    }
    expect(objects.map((o) => o.oid).sort()).toEqual(sim.repository('ws', 'private-lfs').lfsOids);
    expect(objects).toHaveLength(3);
    const res = await fetch(`${remote('private-lfs')}/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: basic('x-token-auth', sim.tokens['bbc-project-a']), accept: 'application/vnd.git-lfs+json', 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'download', transfers: ['basic'], objects }),
    });
    expect(res.status).toBe(200);
    const batch = (await res.json()) as { objects: BatchObject[] };
    for (const object of batch.objects) {
      const action = object.actions?.download;
      const content = Buffer.from(await (await fetch(action?.href ?? '', { headers: action?.header })).arrayBuffer());
      expect(createHash('sha256').update(content).digest('hex')).toBe(object.oid);
    }
    expect(sim.stats().identities[sim.identityOf(sim.tokens['bbc-project-a'])].byResource.lfs).toBe(4);
  });

  it('reflects added commits and force-pushes', async () => {
    const target = git.path('mutations.git');
    expect((await clone('other', 'mutations.git', 'x-token-auth', sim.tokens['bbc-repo-other'])).code).toBe(0);
    await sim.addCommits('ws', 'other', { branch: 'main', count: 2 });
    const { oldSha, newSha } = await sim.forcePush('ws', 'other', { branch: 'main' });
    expect(newSha).not.toBe(oldSha);
    expect((await git.run(['--git-dir', target, 'fetch', '--prune', 'origin'], { askpass: { username: 'x-token-auth', token: sim.tokens['bbc-repo-other'] } })).code).toBe(0);
    expect(await git.refs(target)).toEqual(sim.repository('ws', 'other').refs);
  });

  it('refuses git with 429 once the identity spent its git window', async () => {
    const auth = basic('x-token-auth', sim.tokens['bbc-repo-other']);
    const url = `${remote('other')}/info/refs?service=git-upload-pack`;
    let status = 200;
    let sent = 0;
    while (status === 200 && sent < 100) {
      status = (await fetch(url, { headers: { authorization: auth } })).status;
      sent++;
    }
    expect(status).toBe(429);
    const stats = sim.stats().identities[sim.identityOf(sim.tokens['bbc-repo-other'])];
    expect(stats.byResource.git).toBe(40 + 1);
    expect(stats.refusals).toBe(1);
  });
});
