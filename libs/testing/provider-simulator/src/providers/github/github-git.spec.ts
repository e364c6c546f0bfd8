import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';
import { smallSeed } from '../../test-support/small-seed';

interface BatchObject {
  oid: string;
  size: number;
  actions?: Record<string, { href: string; header: Record<string, string> }>;
  error?: { code: number };
}

const basic = (token: string): string => `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;

async function lfsBatch(sim: RunningSimulator, repo: string, token: string, operation: 'download' | 'upload', objects: Array<{ oid: string; size: number }>): Promise<{ status: number; objects: BatchObject[] }> {
  const res = await fetch(`${sim.github.baseUrl}/acme/${repo}.git/info/lfs/objects/batch`, {
    method: 'POST',
    headers: { authorization: basic(token), accept: 'application/vnd.git-lfs+json', 'content-type': 'application/vnd.git-lfs+json' },
    body: JSON.stringify({ operation, transfers: ['basic'], objects }),
  });
  const body = (await res.json()) as { objects?: BatchObject[] };
  return { status: res.status, objects: body.objects ?? [] };
}

describe('GitHub git over smart HTTP and LFS', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: smallSeed(2) }), TestGitClient.create()]);
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  const remote = (name: string): string => `${sim.github.baseUrl}/acme/${name}`;

  it('git clone --mirror (protocol v2, token in a Basic header) gets exactly the seeded refs', async () => {
    const target = git.path('mirror-1.git');
    const result = await git.run(['clone', '--mirror', remote('lfs-wiki.git'), target], { basicHeaderToken: sim.tokens.bob }, { GIT_TRACE_PACKET: '1' });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('git< version 2');
    const expected = sim.repository('acme', 'lfs-wiki').refs;
    expect(Object.keys(expected)).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/tags/v0.1.0', 'refs/tags/v0.2.0']));
    expect(Object.keys(expected).some((r) => r.startsWith('refs/pull/'))).toBe(true);
    expect(await git.refs(target)).toEqual(expected);
    const stats = sim.stats().identities[sim.identityOf(sim.tokens.bob)];
    expect(stats.byResource.git).toBeGreaterThanOrEqual(2);
    expect(stats.byResource.core).toBe(0);
  });

  it('answers a challenge so git asks for credentials, and accepts any username with the token as password', async () => {
    const target = git.path('mirror-askpass.git');
    const result = await git.run(['clone', '--mirror', remote('lfs-wiki.git'), target], { askpass: { username: 'whoever', token: sim.tokens['alice-2'] } });
    expect(result.code).toBe(0);
    expect(await git.refs(target)).toEqual(sim.repository('acme', 'lfs-wiki').refs);
  });

  it('fails with a wrong token, and with a token that cannot see the private repository', async () => {
    const wrong = await git.run(['clone', '--mirror', remote('lfs-wiki.git'), git.path('wrong.git')], { basicHeaderToken: 'ghp_wrongwrongwrongwrongwrongwrongwrong' });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failed|could not read Username/);
    const anonymous = await git.run(['clone', '--mirror', remote('lfs-wiki.git'), git.path('anon.git')]);
    expect(anonymous.code).not.toBe(0);
    expect(anonymous.stderr).toContain('could not read Username');
    const outsider = await git.run(['clone', '--mirror', remote('lfs-wiki.git'), git.path('outsider.git')], { basicHeaderToken: sim.tokens.mallory });
    expect(outsider.code).not.toBe(0);
    expect(outsider.stderr).toContain('not found');
    expect(sim.stats().authFailures.github).toBeGreaterThanOrEqual(1);
    const publicClone = await git.run(['clone', '--mirror', remote('public-one.git'), git.path('public.git')]);
    expect(publicClone.code).toBe(0);
  });

  it('serves the wiki as {repo}.wiki.git with the same access rules', async () => {
    const target = git.path('wiki.git');
    expect((await git.run(['clone', '--mirror', remote('lfs-wiki.wiki.git'), target], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    const summary = sim.repository('acme', 'lfs-wiki');
    expect(summary.hasWiki).toBe(true);
    expect(await git.refs(target)).toEqual(summary.wikiRefs);
    expect((await git.run(['clone', '--mirror', remote('public-one.wiki.git'), git.path('nowiki.git')], { basicHeaderToken: sim.tokens.alice })).code).not.toBe(0);
  });

  it('serves the LFS objects named by the pointer files through the batch API, attributed to the identity', async () => {
    const target = git.path('mirror-lfs.git');
    expect((await git.run(['clone', '--mirror', remote('lfs-wiki.git'), target], { basicHeaderToken: sim.tokens.bob })).code).toBe(0);
    const tree = await git.run(['--git-dir', target, 'ls-tree', '-r', 'refs/heads/main']);
    const pointers = tree.stdout.split('\n').filter((l) => l.endsWith('.bin')).map((l) => l.split(/\s+/)[2]);
    const objects: Array<{ oid: string; size: number }> = [];
    for (const blob of pointers) {
      const text = (await git.run(['--git-dir', target, 'cat-file', 'blob', blob])).stdout;
      objects.push({ oid: /oid sha256:([0-9a-f]{64})/.exec(text)?.[1] ?? '', size: Number(/size (\d+)/.exec(text)?.[1]) });
    }
    expect(objects.map((o) => o.oid).sort()).toEqual(sim.repository('acme', 'lfs-wiki').lfsOids);
    expect(objects).toHaveLength(3);

    const before = sim.stats().identities[sim.identityOf(sim.tokens.bob)].byResource.lfs;
    const batch = await lfsBatch(sim, 'lfs-wiki', sim.tokens.bob, 'download', [...objects, { oid: 'f'.repeat(64), size: 1 }]);
    expect(batch.status).toBe(200);
    for (const object of batch.objects.slice(0, 3)) {
      const action = object.actions?.download;
      expect(action?.href.startsWith(sim.github.baseUrl)).toBe(true);
      const res = await fetch(action?.href ?? '', { headers: action?.header });
      expect(res.status).toBe(200);
      const content = Buffer.from(await res.arrayBuffer());
      expect(createHash('sha256').update(content).digest('hex')).toBe(object.oid);
      expect(content.length).toBe(object.size);
    }
    expect(batch.objects[3].error?.code).toBe(404);
    expect(sim.stats().identities[sim.identityOf(sim.tokens.bob)].byResource.lfs - before).toBe(4);
    expect((await lfsBatch(sim, 'lfs-wiki', 'ghp_nope', 'download', objects)).status).toBe(401);
    expect((await lfsBatch(sim, 'lfs-wiki', sim.tokens.mallory, 'download', objects)).status).toBe(404);
    const forged = await fetch(batch.objects[0].actions?.download.href ?? '', { headers: { authorization: 'RemoteAuth forged' } });
    expect(forged.status).toBe(401);
  });

  it('accepts pushes and LFS uploads from identities with write access only', async () => {
    const work = git.path('work');
    expect((await git.run(['clone', remote('public-one.git'), work], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    const inWork = (args: string[]): string[] => ['-C', work, '-c', 'user.name=Alice', '-c', 'user.email=alice@example.com', ...args];
    expect((await git.run(inWork(['commit', '--allow-empty', '-m', 'restore test']))).code).toBe(0);
    expect((await git.run(inWork(['push', 'origin', 'HEAD:refs/heads/restored']), { basicHeaderToken: sim.tokens.bob })).code).not.toBe(0);
    const pushed = await git.run(inWork(['push', 'origin', 'HEAD:refs/heads/restored']), { basicHeaderToken: sim.tokens.alice });
    expect(pushed.code).toBe(0);
    const head = (await git.run(inWork(['rev-parse', 'HEAD']))).stdout.trim();
    expect(sim.repository('acme', 'public-one').refs['refs/heads/restored']).toBe(head);

    const content = Buffer.from('restored large file');
    const object = { oid: createHash('sha256').update(content).digest('hex'), size: content.length };
    expect((await lfsBatch(sim, 'public-one', sim.tokens.bob, 'upload', [object])).status).toBe(403);
    const upload = await lfsBatch(sim, 'public-one', sim.tokens.alice, 'upload', [object]);
    const action = upload.objects[0].actions?.upload;
    expect(action).toBeDefined();
    const bad = await fetch(action?.href ?? '', { method: 'PUT', headers: action?.header, body: Buffer.from('something else') });
    expect(bad.status).toBe(422);
    const put = await fetch(action?.href ?? '', { method: 'PUT', headers: action?.header, body: content });
    expect(put.status).toBe(200);
    expect(sim.repository('acme', 'public-one').lfsOids).toContain(object.oid);
    expect((await lfsBatch(sim, 'public-one', sim.tokens.alice, 'upload', [object])).objects[0].actions).toBeUndefined();
  });

  it('reflects added commits and force-pushes, leaving the old tip unreachable upstream', async () => {
    const target = git.path('mirror-mutations.git');
    expect((await git.run(['clone', '--mirror', remote('svc-0001.git'), target], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    await sim.addCommits('acme', 'svc-0001', { branch: 'feature/new', count: 1 });
    await sim.addCommits('acme', 'svc-0001', { branch: 'main', count: 2 });
    const { oldSha, newSha } = await sim.forcePush('acme', 'svc-0001', { branch: 'main' });
    expect(newSha).not.toBe(oldSha);
    const fetched = await git.run(['--git-dir', target, 'fetch', '--prune', 'origin'], { basicHeaderToken: sim.tokens.alice });
    expect(fetched.code).toBe(0);
    const refs = await git.refs(target);
    expect(refs).toEqual(sim.repository('acme', 'svc-0001').refs);
    expect(refs['refs/heads/main']).toBe(newSha);
    expect(refs['refs/heads/feature/new']).toBeDefined();
    const upstream = join(sim.dataDir, 'git', 'acme', 'svc-0001.git');
    const reachable = await git.run(['--git-dir', upstream, 'rev-list', '--all']);
    expect(reachable.stdout.split('\n')).not.toContain(oldSha);
  });

  it('accepts gzip-encoded request bodies, as git sends for negotiations with many refs', async () => {
    await sim.addRepository('acme', { name: 'many-branches', branches: 150, commitsPerBranch: 2, tags: 0 });
    const target = git.path('many.git');
    expect((await git.run(['clone', '--mirror', remote('many-branches.git'), target], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    await sim.addCommits('acme', 'many-branches', { branch: 'main', count: 1 });
    const fetched = await git.run(['--git-dir', target, 'fetch', 'origin'], { basicHeaderToken: sim.tokens.alice }, { GIT_TRACE_CURL: '1', GIT_TRACE_CURL_NO_DATA: '1' });
    expect(fetched.code).toBe(0);
    expect(fetched.stderr).toContain('Content-Encoding: gzip');
    expect(await git.refs(target)).toEqual(sim.repository('acme', 'many-branches').refs);
  });
});
