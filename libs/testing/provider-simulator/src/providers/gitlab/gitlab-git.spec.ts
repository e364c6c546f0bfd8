import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';
import { gitlabSmallSeed } from './gitlab-test-support';

interface BatchObject {
  oid: string;
  size: number;
  actions?: Record<string, { href: string; header: Record<string, string> }>;
  error?: { code: number };
}

/** GitLab's documented way: Basic auth, username `oauth2` (required for OAuth tokens, accepted for the others). */
const basic = (token: string, username = 'oauth2'): string => `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;
const header = (token: string, username?: string): string[] => ['-c', `http.extraHeader=Authorization: ${basic(token, username)}`];

describe('GitLab git over smart HTTP and LFS', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  const token = (name: string): string => sim.tokens[name] ?? '';
  const remote = (path: string): string => `${sim.gitlab.baseUrl}/${path}`;

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: gitlabSmallSeed(2) }), TestGitClient.create()]);
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  async function lfsBatch(project: string, secret: string, objects: Array<{ oid: string; size: number }>, operation: 'download' | 'upload' = 'download'): Promise<{ status: number; objects: BatchObject[] }> {
    const res = await fetch(`${remote(project)}.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: basic(secret), accept: 'application/vnd.git-lfs+json', 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation, transfers: ['basic'], objects }),
    });
    const body = (await res.json()) as { objects?: BatchObject[] };
    return { status: res.status, objects: body.objects ?? [] };
  }

  it('git clone --mirror with username oauth2 and a personal access token gets exactly the seeded refs, merge request refs included', async () => {
    const target = git.path('mirror.git');
    const result = await git.run([...header(token('gl-bob')), 'clone', '--mirror', `${remote('acme/lfs-wiki')}.git`, target], {}, { GIT_TRACE_PACKET: '1' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('git< version 2');
    const expected = sim.repository('acme', 'lfs-wiki').refs;
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/tags/v0.1.0', 'refs/tags/v0.2.0']));
    expect(Object.keys(expected).filter((r) => r.startsWith('refs/merge-requests/'))).toHaveLength(2);
    expect(await git.refs(target)).toEqual(expected);
    const bob = sim.stats().identities[sim.identityOf(token('gl-bob'))];
    expect(bob.byResource.git).toBeGreaterThanOrEqual(2);
    expect(bob.byResource.api).toBeUndefined();
  });

  it('accepts any username with an access token (git asks after a Basic challenge), and a subgroup project path', async () => {
    const target = git.path('askpass.git');
    const result = await git.run(['clone', '--mirror', `${remote('acme/platform/deep/core')}.git`, target], { askpass: { username: 'alice', token: token('gl-alice') } });
    expect(result.code).toBe(0);
    expect(await git.refs(target)).toEqual(sim.repository('acme/platform/deep', 'core').refs);
    // project and group access tokens clone as their bots
    expect((await git.run([...header(token('gl-project-bot'), 'anything'), 'clone', '--mirror', `${remote('acme/lfs-wiki')}.git`, git.path('bot.git')])).code).toBe(0);
    expect(sim.stats().identities[sim.identityOf(token('gl-project-bot'))].byResource.git).toBeGreaterThanOrEqual(2);
  });

  it('accepts an OAuth token only under the username oauth2', async () => {
    expect((await git.run([...header(token('gl-alice-oauth')), 'clone', '--mirror', `${remote('acme/svc-0001')}.git`, git.path('oauth.git')])).code).toBe(0);
    const wrongUser = await git.run([...header(token('gl-alice-oauth'), 'alice'), 'clone', '--mirror', `${remote('acme/svc-0001')}.git`, git.path('oauth-alice.git')]);
    expect(wrongUser.code).not.toBe(0);
    expect(wrongUser.stderr).toMatch(/Authentication failed|could not read Username|HTTP Basic: Access denied/);
  });

  it('fails with a wrong, expired or narrow token, and for projects the token cannot see', async () => {
    const url = `${remote('acme/lfs-wiki')}.git`;
    const before = sim.stats().authFailures.gitlab ?? 0;
    const wrong = await git.run([...header('glpat-wrongwrongwrongwrong'), 'clone', '--mirror', url, git.path('wrong.git')]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failed|could not read Username|HTTP Basic: Access denied/);
    expect((await git.run([...header(token('gl-alice-expired')), 'clone', '--mirror', url, git.path('expired.git')])).code).not.toBe(0);
    expect(sim.stats().authFailures.gitlab - before).toBe(2);
    const narrow = await git.run([...header(token('gl-nora-read-api')), 'clone', '--mirror', url, git.path('narrow.git')]);
    expect(narrow.code).not.toBe(0);
    expect(narrow.stderr).toContain('You are not allowed to download code.');
    expect((await git.run([...header(token('gl-nora-read-repository')), 'clone', '--mirror', url, git.path('reporter.git')])).code).toBe(0);
    const anonymous = await git.run(['clone', '--mirror', url, git.path('anon.git')]);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain('could not read Username');
    const outsider = await git.run([...header(token('gl-mallory')), 'clone', '--mirror', url, git.path('outsider.git')]);
    expect(outsider.code).not.toBe(0);
    expect(outsider.stderr).toContain('could not be found');
    expect((await git.run(['clone', '--mirror', `${remote('opensource/public-one')}.git`, git.path('public.git')])).code).toBe(0);
  });

  it('serves the wiki as {project}.wiki.git', async () => {
    const target = git.path('wiki.git');
    expect((await git.run([...header(token('gl-alice')), 'clone', '--mirror', `${remote('acme/lfs-wiki')}.wiki.git`, target])).code).toBe(0);
    const summary = sim.repository('acme', 'lfs-wiki');
    expect(summary.hasWiki).toBe(true);
    expect(await git.refs(target)).toEqual(summary.wikiRefs);
    expect((await git.run([...header(token('gl-alice')), 'clone', '--mirror', `${remote('acme/svc-0001')}.wiki.git`, git.path('nowiki.git')])).code).not.toBe(0);
  });

  it('serves the LFS objects of the pointer files through the batch API, counted as git for the identity', async () => {
    const target = git.path('lfs.git');
    expect((await git.run([...header(token('gl-bob')), 'clone', '--mirror', `${remote('acme/lfs-wiki')}.git`, target])).code).toBe(0);
    const tree = await git.run(['--git-dir', target, 'ls-tree', '-r', 'refs/heads/main']);
    const objects: Array<{ oid: string; size: number }> = [];
    for (const blob of tree.stdout.split('\n').filter((l) => l.endsWith('.bin')).map((l) => l.split(/\s+/)[2])) {
      const text = (await git.run(['--git-dir', target, 'cat-file', 'blob', blob])).stdout;
      objects.push({ oid: /oid sha256:([0-9a-f]{64})/.exec(text)?.[1] ?? '', size: Number(/size (\d+)/.exec(text)?.[1]) });
    }
    expect(objects.map((o) => o.oid).sort()).toEqual(sim.repository('acme', 'lfs-wiki').lfsOids);
    expect(objects).toHaveLength(3);

    const before = sim.stats().identities[sim.identityOf(token('gl-bob'))].byResource.git;
    const batch = await lfsBatch('acme/lfs-wiki', token('gl-bob'), [...objects, { oid: 'f'.repeat(64), size: 1 }]);
    expect(batch.status).toBe(200);
    for (const object of batch.objects.slice(0, 3)) {
      const action = object.actions?.download;
      expect(action?.href).toBe(`${remote('acme/lfs-wiki')}.git/gitlab-lfs/objects/${object.oid}`);
      const res = await fetch(action?.href ?? '', { headers: action?.header });
      expect(res.status).toBe(200);
      const content = Buffer.from(await res.arrayBuffer());
      expect(createHash('sha256').update(content).digest('hex')).toBe(object.oid);
    }
    expect(batch.objects[3].error?.code).toBe(404);
    expect(sim.stats().identities[sim.identityOf(token('gl-bob'))].byResource.git - before).toBe(4);
    expect((await lfsBatch('acme/lfs-wiki', 'glpat-nope', objects)).status).toBe(401);
    expect((await lfsBatch('acme/lfs-wiki', token('gl-mallory'), objects)).status).toBe(404);
    // uploads need write_repository (or api) and Developer access
    expect((await lfsBatch('acme/lfs-wiki', token('gl-alice-2'), objects, 'upload')).status).toBe(200);
    expect((await lfsBatch('acme/lfs-wiki', token('gl-bob'), objects, 'upload')).status).toBe(403);
  });

  it('reflects added commits and force-pushes; merge request heads follow their source branch', async () => {
    const target = git.path('mutations.git');
    expect((await git.run([...header(token('gl-alice')), 'clone', '--mirror', `${remote('acme/lfs-wiki')}.git`, target])).code).toBe(0);
    const before = sim.repository('acme', 'lfs-wiki');
    const mr = Object.keys(before.refs).find((r) => r.startsWith('refs/merge-requests/')) ?? '';
    const branch = Object.keys(before.refs).find((r) => r.startsWith('refs/heads/') && before.refs[r] === before.refs[mr])?.slice('refs/heads/'.length) ?? '';
    expect(branch).not.toBe('');
    await sim.addCommits('acme', 'lfs-wiki', { branch, count: 1 });
    expect(sim.repository('acme', 'lfs-wiki').refs[mr]).toBe(sim.repository('acme', 'lfs-wiki').refs[`refs/heads/${branch}`]);
    const { oldSha, newSha } = await sim.forcePush('acme', 'lfs-wiki', { branch });
    expect(newSha).not.toBe(oldSha);
    const after = sim.repository('acme', 'lfs-wiki');
    expect(after.refs[mr]).toBe(newSha);
    expect(Object.keys(after.refs).some((r) => r.startsWith('refs/pull/'))).toBe(false);
    expect((await git.run([...header(token('gl-alice')), '--git-dir', target, 'fetch', '--prune', 'origin'])).code).toBe(0);
    expect(await git.refs(target)).toEqual(after.refs);
    const upstream = join(sim.dataDir, 'gitlab', 'git', 'acme', 'lfs-wiki.git');
    expect((await git.run(['--git-dir', upstream, 'rev-list', '--all'])).stdout.split('\n')).not.toContain(oldSha);
  });

  it('adds and deletes projects during a test', async () => {
    await sim.addRepository('acme/platform', { name: 'added', branches: 1, lfsObjects: 1 });
    expect(sim.listRepositories('acme/platform')).toContain('added');
    const target = git.path('added.git');
    expect((await git.run([...header(token('gl-alice')), 'clone', '--mirror', `${remote('acme/platform/added')}.git`, target])).code).toBe(0);
    expect(await git.refs(target)).toEqual(sim.repository('acme/platform', 'added').refs);
    sim.deleteRepository('acme/platform', 'added');
    expect(sim.listRepositories('acme/platform')).not.toContain('added');
    expect((await fetch(`${sim.gitlab.apiUrl}/projects/acme%2Fplatform%2Fadded`, { headers: { authorization: `Bearer ${token('gl-alice')}` } })).status).toBe(404);
  });
});
