import { createHash } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';
import { smallSeed } from '../../test-support/small-seed';

type Json = Record<string, unknown>;

describe('GitHub writes a restore uses', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: smallSeed(1), github: { contentCreationPerMinute: 1_000 } }), TestGitClient.create()]);
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  async function call(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
    const response = await fetch(`${sim.github.baseUrl}${path}`, {
      method,
      headers: { authorization: `token ${token}`, accept: 'application/vnd.github+json', ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {}, headers: response.headers };
  }

  it('creates organization and user repositories: empty, with GitHub default labels; refuses names taken, readers and outsiders', async () => {
    const created = await call(sim.tokens.alice, 'POST', '/orgs/acme/repos', { name: 'fresh', private: true, has_wiki: true });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ full_name: 'acme/fresh', private: true, default_branch: 'main', has_wiki: true, clone_url: `${sim.github.baseUrl}/acme/fresh.git` });
    expect(sim.repository('acme', 'fresh').refs).toEqual({});
    const labels = await call(sim.tokens.alice, 'GET', '/repos/acme/fresh/labels');
    expect((labels.body as unknown as Json[]).map((l) => l['name'])).toContain('good first issue');

    const taken = await call(sim.tokens.alice, 'POST', '/orgs/acme/repos', { name: 'fresh' });
    expect(taken.status).toBe(422);
    expect(taken.body['errors']).toEqual([expect.objectContaining({ field: 'name', message: 'name already exists on this account' })]);
    expect((await call(sim.tokens.bob, 'POST', '/orgs/acme/repos', { name: 'bobs' })).status).toBe(403);
    expect((await call(sim.tokens.mallory, 'POST', '/orgs/acme/repos', { name: 'mallorys' })).status).toBe(404);
    expect((await call(sim.tokens['nora-no-repo-scope'], 'POST', '/user/repos', { name: 'noras', private: true })).status).toBe(403);
    const personal = await call(sim.tokens.mallory, 'POST', '/user/repos', { name: 'mine' });
    expect(personal).toMatchObject({ status: 201, body: { full_name: 'mallory/mine' } });
  });

  it('takes pushes from writers only and refuses GitHub\'s own pull request refs; takes wiki pushes and LFS uploads', async () => {
    await call(sim.tokens.alice, 'POST', '/orgs/acme/repos', { name: 'pushed', has_wiki: true });
    const mirror = git.path('lfs-wiki-mirror.git');
    expect((await git.run(['clone', '--mirror', `${sim.github.baseUrl}/acme/lfs-wiki.git`, mirror], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    const own = Object.keys(await git.refs(mirror)).filter((r) => !r.startsWith('refs/pull/'));
    const denied = await git.run(['--git-dir', mirror, 'push', `${sim.github.baseUrl}/acme/pushed.git`, 'refs/heads/main:refs/heads/main'], { basicHeaderToken: sim.tokens.bob });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/403|denied/);
    const pushed = await git.run(['--git-dir', mirror, 'push', `${sim.github.baseUrl}/acme/pushed.git`, ...own.map((r) => `${r}:${r}`)], { basicHeaderToken: sim.tokens.alice });
    expect(pushed.code).toBe(0);
    const upstream = sim.repository('acme', 'lfs-wiki').refs;
    expect(sim.repository('acme', 'pushed').refs).toEqual(Object.fromEntries(own.map((r) => [r, upstream[r]])));
    const hidden = await git.run(['--git-dir', mirror, 'push', `${sim.github.baseUrl}/acme/pushed.git`, 'refs/heads/main:refs/pull/1/head'], { basicHeaderToken: sim.tokens.alice });
    expect(hidden.code).not.toBe(0);
    expect(hidden.stderr).toMatch(/hidden ref/);

    const wiki = git.path('wiki-mirror.git');
    expect((await git.run(['clone', '--mirror', `${sim.github.baseUrl}/acme/lfs-wiki.wiki.git`, wiki], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    expect((await git.run(['--git-dir', wiki, 'push', '--mirror', `${sim.github.baseUrl}/acme/pushed.wiki.git`], { basicHeaderToken: sim.tokens.alice })).code).toBe(0);
    expect(sim.repository('acme', 'pushed').wikiRefs).toEqual(sim.repository('acme', 'lfs-wiki').wikiRefs);

    const content = Buffer.from('an LFS object restored into another repository\n');
    const oid = createHash('sha256').update(content).digest('hex');
    const basic = `Basic ${Buffer.from(`x-access-token:${sim.tokens.alice}`).toString('base64')}`;
    const batch = await fetch(`${sim.github.baseUrl}/acme/pushed.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: basic, accept: 'application/vnd.git-lfs+json', 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', transfers: ['basic'], objects: [{ oid, size: content.length }] }),
    });
    const action = ((await batch.json()) as { objects: Array<{ actions: { upload: { href: string; header: Record<string, string> } } }> }).objects[0]?.actions.upload;
    const put = await fetch(action?.href ?? '', { method: 'PUT', headers: { ...action?.header, 'content-type': 'application/octet-stream' }, body: new Uint8Array(content) });
    expect(put.status).toBe(200);
    expect(sim.repository('acme', 'pushed').lfsOids).toContain(oid);
  });

  it('creates labels, milestones, issues, comments and pull requests with GitHub\'s numbering and refs', async () => {
    const t = sim.tokens.alice;
    expect((await call(t, 'POST', '/repos/acme/pushed/labels', { name: 'area/restore', color: '00ff00', description: 'restored' })).status).toBe(201);
    expect((await call(t, 'POST', '/repos/acme/pushed/labels', { name: 'AREA/restore' })).status).toBe(422);
    expect((await call(t, 'PATCH', '/repos/acme/pushed/labels/bug', { color: '000000', description: 'changed' })).body).toMatchObject({ name: 'bug', color: '000000' });
    expect((await call(t, 'DELETE', '/repos/acme/pushed/labels/wontfix')).status).toBe(204);
    const milestone = await call(t, 'POST', '/repos/acme/pushed/milestones', { title: 'v1', state: 'closed', due_on: '2030-01-01T00:00:00Z' });
    expect(milestone).toMatchObject({ status: 201, body: { number: 1, state: 'closed', due_on: '2030-01-01T00:00:00Z' } });
    const issue = await call(t, 'POST', '/repos/acme/pushed/issues', { title: 'restored issue', body: 'text', labels: ['area/restore'], milestone: 1 });
    expect(issue).toMatchObject({ status: 201, body: { number: 1, labels: [expect.objectContaining({ name: 'area/restore' })], milestone: expect.objectContaining({ number: 1 }) } });
    expect((await call(t, 'POST', '/repos/acme/pushed/issues', { title: 'x', milestone: 9 })).status).toBe(422);
    expect((await call(t, 'POST', '/repos/acme/pushed/issues/1/comments', { body: 'a comment' })).status).toBe(201);
    expect((await call(sim.tokens.bob, 'POST', '/repos/acme/pushed/issues/1/comments', { body: 'readers may comment' })).status).toBe(201);
    expect((await call(sim.tokens.bob, 'PATCH', '/repos/acme/pushed/issues/1', { state: 'closed' })).status).toBe(403);
    expect((await call(t, 'PATCH', '/repos/acme/pushed/issues/1', { state: 'closed', state_reason: 'not_planned' })).body).toMatchObject({ state: 'closed' });

    const branch = Object.keys(sim.repository('acme', 'pushed').refs).find((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main')?.slice('refs/heads/'.length) ?? '';
    const pull = await call(t, 'POST', '/repos/acme/pushed/pulls', { title: 'restored pull', head: branch, base: 'main', body: 'pr' });
    expect(pull).toMatchObject({ status: 201, body: { number: 2, state: 'open', head: expect.objectContaining({ ref: branch }) } });
    expect(sim.repository('acme', 'pushed').refs['refs/pull/2/head']).toBe(sim.repository('acme', 'pushed').refs[`refs/heads/${branch}`]);
    const again = await call(t, 'POST', '/repos/acme/pushed/pulls', { title: 'again', head: `acme:${branch}`, base: 'main' });
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.body)).toContain('A pull request already exists');
    expect((await call(t, 'POST', '/repos/acme/pushed/pulls', { title: 'same', head: 'main', base: 'main' })).body['message']).toBe('No commits between main and main');
    expect((await call(t, 'PATCH', '/repos/acme/pushed/pulls/2', { state: 'closed' })).body).toMatchObject({ state: 'closed' });
    expect((await call(t, 'PATCH', '/repos/acme/pushed', { default_branch: branch })).body).toMatchObject({ default_branch: branch });
    expect((await call(t, 'PATCH', '/repos/acme/pushed', { default_branch: 'no-such-branch' })).status).toBe(422);
  });

  it('creates releases and takes asset uploads on the uploads path (GitHub.com and Enterprise Server)', async () => {
    const t = sim.tokens.alice;
    const tag = Object.keys(sim.repository('acme', 'pushed').refs).find((r) => r.startsWith('refs/tags/'))?.slice('refs/tags/'.length) ?? '';
    const release = await call(t, 'POST', '/api/v3/repos/acme/pushed/releases', { tag_name: tag, name: 'restored', body: 'notes' });
    expect(release.status).toBe(201);
    const uploadUrl = String(release.body['upload_url']);
    expect(uploadUrl).toMatch(/\/api\/uploads\/repos\/acme\/pushed\/releases\/\d+\/assets\{\?name,label\}$/);
    const bytes = Buffer.from('asset bytes');
    const uploaded = await fetch(`${uploadUrl.replace(/\{.*\}$/, '')}?name=tool.tar.gz`, { method: 'POST', headers: { authorization: `token ${t}`, 'content-type': 'application/gzip' }, body: new Uint8Array(bytes) });
    expect(uploaded.status).toBe(201);
    const asset = (await uploaded.json()) as Json;
    expect(asset).toMatchObject({ name: 'tool.tar.gz', size: bytes.length, content_type: 'application/gzip' });
    const download = await fetch(`${sim.github.baseUrl}/repos/acme/pushed/releases/assets/${String(asset['id'])}`, { headers: { authorization: `token ${t}`, accept: 'application/octet-stream' } });
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes);
    const duplicate = await fetch(`${sim.github.baseUrl}/uploads/repos/acme/pushed/releases/${String(release.body['id'])}/assets?name=tool.tar.gz`, { method: 'POST', headers: { authorization: `token ${t}`, 'content-type': 'application/gzip' }, body: new Uint8Array(bytes) });
    expect(duplicate.status).toBe(422);
    expect((await call(t, 'POST', '/repos/acme/pushed/releases', { tag_name: tag })).status).toBe(422);
  });
});

describe("GitHub's content-creation limit", () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: smallSeed(1), github: { contentCreationPerMinute: 3 } });
  });
  afterAll(() => sim?.close());

  it('refuses the creation past the limit with a secondary rate limit and retry-after', async () => {
    const post = (title: string) => fetch(`${sim.github.baseUrl}/repos/acme/public-one/issues`, {
      method: 'POST', headers: { authorization: `token ${sim.tokens.alice}`, 'content-type': 'application/json' }, body: JSON.stringify({ title }),
    });
    for (let i = 0; i < 3; i++) expect((await post(`issue ${i}`)).status).toBe(201);
    const refused = await post('one too many');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as Json)['message']).toMatch(/secondary rate limit/);
    expect(sim.stats().identities[sim.identityOf(sim.tokens.alice)]?.refusals).toBe(1);
  });
});
