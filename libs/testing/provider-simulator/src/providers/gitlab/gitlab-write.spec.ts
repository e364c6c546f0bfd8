import { createHash } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';
import { gitlabGet, gitlabSmallSeed } from './gitlab-test-support';
import { GITLAB_WRITE_CONTRACT, matchGitlabWriteContract } from './gitlab-write-contract';

type Json = Record<string, unknown>;

const basic = (token: string): string => `Basic ${Buffer.from(`oauth2:${token}`).toString('base64')}`;
const header = (token: string): string[] => ['-c', `http.extraHeader=Authorization: ${basic(token)}`];

/** The small GitLab world plus writers: `wendy` (developer, `api`), `rita` (reporter, `api`). */
function writeSeed() {
  const seed = gitlabSmallSeed(1);
  const gitlab = seed.gitlab ?? {};
  gitlab.users?.push({ username: 'wendy', tokens: [{ name: 'gl-wendy', scopes: ['api'] }] }, { username: 'rita', tokens: [{ name: 'gl-rita', scopes: ['api'] }] });
  gitlab.groups?.[0]?.members?.push('wendy', { username: 'rita', accessLevel: 'reporter' });
  return seed;
}

describe('GitLab simulator writes (what a restore needs)', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  let api: string;
  const token = (name: string): string => sim.tokens[name] ?? '';
  const project = (path: string): string => `${api}/projects/${encodeURIComponent(path)}`;

  async function send<T = Json>(method: string, url: string, tokenName: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(url, { method, headers: { authorization: `Bearer ${token(tokenName)}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: writeSeed() }), TestGitClient.create()]);
    api = sim.gitlab.apiUrl;
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  it('creates an empty project in a group for a developer with the api scope, and refuses what GitLab refuses', async () => {
    const acme = (await gitlabGet<Json>(`${api}/groups/acme`, token('gl-alice'))).body;
    const created = await send('POST', `${api}/projects`, 'gl-wendy', { name: 'restored', namespace_id: acme.id, visibility: 'private', wiki_access_level: 'enabled' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ path_with_namespace: 'acme/restored', empty_repo: true, default_branch: 'main', visibility: 'private', wiki_enabled: true });
    expect(sim.listRepositories('acme')).toContain('restored');

    expect((await send('POST', `${api}/projects`, 'gl-wendy', { name: 'restored', namespace_id: 'acme' })).status).toBe(400);
    const readOnly = await send('POST', `${api}/projects`, 'gl-alice', { name: 'nope', namespace_id: 'acme' });
    expect(readOnly).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
    expect((await send('POST', `${api}/projects`, 'gl-rita', { name: 'nope', namespace_id: 'acme' })).status).toBe(403);
    expect((await send('POST', `${api}/projects`, 'gl-wendy', { name: 'nope', namespace_id: 'opensource' })).status).toBe(403);
    expect((await send('POST', `${api}/projects`, 'gl-wendy', { name: 'nope', namespace_id: 'no-such-group' })).status).toBe(404);
    expect((await send('POST', `${api}/projects`, 'gl-wendy', { namespace_id: 'acme' })).body).toEqual({ error: 'name, path are missing, at least one parameter must be provided' });
    // the developer who created it may administer it
    expect((await send('PUT', project('acme/restored'), 'gl-wendy', { description: 'Restored' })).status).toBe(200);
  });

  it('accepts pushes of branches and tags, refuses its own merge request refs, creates an enabled wiki on first access, and takes LFS uploads', async () => {
    const source = git.path('source.git');
    expect((await git.run([...header(token('gl-alice')), 'clone', '--mirror', `${sim.gitlab.baseUrl}/acme/lfs-wiki.git`, source])).code).toBe(0);
    const target = `${sim.gitlab.baseUrl}/acme/restored.git`;
    const refused = await git.run([...header(token('gl-wendy')), '--git-dir', source, 'push', target, 'refs/merge-requests/*:refs/merge-requests/*']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('hidden ref');
    const pushed = await git.run([...header(token('gl-wendy')), '--git-dir', source, 'push', target, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*']);
    expect(pushed.stderr).not.toContain('rejected');
    expect(pushed.code).toBe(0);
    const original = sim.repository('acme', 'lfs-wiki').refs;
    const branchesAndTags = (refs: Record<string, string>) => Object.fromEntries(Object.entries(refs).filter(([r]) => !r.startsWith('refs/merge-requests/')));
    expect(sim.repository('acme', 'restored').refs).toEqual(branchesAndTags(original));
    expect((await git.run([...header(token('gl-nora-read-repository')), '--git-dir', source, 'push', target, 'refs/heads/main:refs/heads/other'])).code).not.toBe(0);

    const wikiSource = git.path('wiki.git');
    expect((await git.run([...header(token('gl-alice')), 'clone', '--mirror', `${sim.gitlab.baseUrl}/acme/lfs-wiki.wiki.git`, wikiSource])).code).toBe(0);
    expect((await git.run([...header(token('gl-wendy')), '--git-dir', wikiSource, 'push', '--mirror', `${sim.gitlab.baseUrl}/acme/restored.wiki.git`])).code).toBe(0);
    expect(sim.repository('acme', 'restored').wikiRefs).toEqual(sim.repository('acme', 'lfs-wiki').wikiRefs);
    // an enabled wiki nobody wrote to yet is an empty repository; a disabled one is not there
    expect((await send('POST', `${api}/projects`, 'gl-wendy', { name: 'empty-wiki', namespace_id: 'acme', wiki_access_level: 'enabled' })).status).toBe(201);
    expect((await send('POST', `${api}/projects`, 'gl-wendy', { name: 'no-wiki', namespace_id: 'acme', wiki_access_level: 'disabled' })).status).toBe(201);
    const empty = await git.run([...header(token('gl-wendy')), 'ls-remote', `${sim.gitlab.baseUrl}/acme/empty-wiki.wiki.git`]);
    expect({ code: empty.code, refs: empty.stdout }).toEqual({ code: 0, refs: '' });
    expect((await git.run([...header(token('gl-wendy')), 'ls-remote', `${sim.gitlab.baseUrl}/acme/no-wiki.wiki.git`])).code).not.toBe(0);

    const content = Buffer.from('large file content');
    const oid = createHash('sha256').update(content).digest('hex');
    const batch = await fetch(`${target}/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: basic(token('gl-wendy')), 'content-type': 'application/vnd.git-lfs+json', accept: 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', transfers: ['basic'], objects: [{ oid, size: content.length }] }),
    });
    const upload = ((await batch.json()) as { objects: Array<{ actions?: { upload?: { href: string; header: Record<string, string> } } }> }).objects[0]?.actions?.upload;
    expect(upload).toBeDefined();
    expect((await fetch(upload?.href ?? '', { method: 'PUT', headers: upload?.header, body: content })).status).toBe(200);
    expect(sim.repository('acme', 'restored').lfsOids).toEqual([oid]);

    expect((await send('PUT', project('acme/restored'), 'gl-wendy', { default_branch: 'no-such-branch' })).status).toBe(400);
    const branch = Object.keys(original).find((r) => r.startsWith('refs/heads/feature') || r.startsWith('refs/heads/fix') || r.startsWith('refs/heads/chore'))?.slice('refs/heads/'.length) ?? '';
    expect((await send('PUT', project('acme/restored'), 'gl-wendy', { default_branch: branch })).body).toMatchObject({ default_branch: branch, empty_repo: false });
    expect((await send('PUT', project('acme/restored'), 'gl-wendy', { default_branch: 'main' })).status).toBe(200);
  });

  it('writes labels, milestones, issues and notes, remapping nothing itself', async () => {
    const label = await send('POST', `${project('acme/restored')}/labels`, 'gl-rita', { name: 'bug', color: '#d73a4a', description: 'Broken' });
    expect(label).toMatchObject({ status: 201, body: { name: 'bug', color: '#d73a4a', is_project_label: true } });
    expect((await send('POST', `${project('acme/restored')}/labels`, 'gl-rita', { name: 'bug', color: '#d73a4a' })).status).toBe(409);
    const milestone = await send('POST', `${project('acme/restored')}/milestones`, 'gl-rita', { title: 'v1.0', description: 'First', due_date: '2024-05-01' });
    expect(milestone).toMatchObject({ status: 201, body: { iid: 1, title: 'v1.0', state: 'active', due_date: '2024-05-01' } });
    expect((await send('POST', `${project('acme/restored')}/milestones`, 'gl-rita', { title: 'v1.0' })).status).toBe(400);
    expect((await send('PUT', `${project('acme/restored')}/milestones/${String(milestone.body.id)}`, 'gl-rita', { state_event: 'close' })).body).toMatchObject({ state: 'closed' });

    const issue = await send('POST', `${project('acme/restored')}/issues`, 'gl-rita', { title: 'Crash', description: 'It crashes', labels: 'bug,new-label', milestone_id: milestone.body.id });
    expect(issue).toMatchObject({ status: 201, body: { iid: 1, title: 'Crash', state: 'opened', labels: ['bug', 'new-label'], milestone: { title: 'v1.0' }, author: { username: 'rita' } } });
    const labels = (await gitlabGet<Json[]>(`${project('acme/restored')}/labels?include_ancestor_groups=false`, token('gl-rita'))).body.map((l) => l.name);
    expect(labels).toEqual(['bug', 'new-label']);
    expect((await send('POST', `${project('acme/restored')}/issues`, 'gl-rita', { description: 'no title' })).body).toEqual({ error: 'title is missing' });

    const note = await send('POST', `${project('acme/restored')}/issues/1/notes`, 'gl-nora-read-api', { body: 'x' });
    expect(note.status).toBe(403);
    const written = await send('POST', `${project('acme/restored')}/issues/1/notes`, 'gl-rita', { body: 'Seen it too' });
    expect(written).toMatchObject({ status: 201, body: { body: 'Seen it too', noteable_type: 'Issue', noteable_iid: 1, author: { username: 'rita' } } });
    expect((await send('PUT', `${project('acme/restored')}/issues/1`, 'gl-rita', { state_event: 'close' })).body).toMatchObject({ state: 'closed', user_notes_count: 1 });
    expect((await send('POST', `${project('acme/restored')}/issues/99/notes`, 'gl-rita', { body: 'x' })).status).toBe(404);
    expect(sim.repository('acme', 'restored').gitlab?.counts).toMatchObject({ issues: 1, issueNotes: 1, labels: 2, milestones: 1 });
  });

  it('opens, closes and comments merge requests, with diff notes on the current diff, and publishes their head refs', async () => {
    const refs = sim.repository('acme', 'restored').refs;
    const branches = Object.keys(refs).filter((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main').map((r) => r.slice('refs/heads/'.length));
    expect(branches.length).toBeGreaterThanOrEqual(2);
    expect((await send('POST', `${project('acme/restored')}/merge_requests`, 'gl-rita', { source_branch: branches[0], target_branch: 'main', title: 'x' })).status).toBe(403);
    const mr = await send('POST', `${project('acme/restored')}/merge_requests`, 'gl-wendy', { source_branch: branches[0], target_branch: 'main', title: 'Draft: Change things', description: 'Body' });
    expect(mr).toMatchObject({ status: 201, body: { iid: 2, title: 'Draft: Change things', draft: true, state: 'opened', source_branch: branches[0], author: { username: 'wendy' } } });
    expect(sim.repository('acme', 'restored').refs['refs/merge-requests/2/head']).toBe(refs[`refs/heads/${branches[0]}`]);
    const duplicate = await send('POST', `${project('acme/restored')}/merge_requests`, 'gl-wendy', { source_branch: branches[0], target_branch: 'main', title: 'Again' });
    expect(duplicate).toEqual({ status: 409, body: { message: ['Another open merge request already exists for this source branch: !2'] } });
    expect((await send('POST', `${project('acme/restored')}/merge_requests`, 'gl-wendy', { source_branch: 'gone', target_branch: 'main', title: 'x' })).status).toBe(409);

    const diffRefs = mr.body.diff_refs as { base_sha: string; head_sha: string; start_sha: string };
    const position = { position_type: 'text', base_sha: diffRefs.base_sha, start_sha: diffRefs.start_sha, head_sha: diffRefs.head_sha, new_path: 'README.md', old_path: 'README.md', new_line: 2 };
    const thread = await send<{ notes: Json[] }>('POST', `${project('acme/restored')}/merge_requests/2/discussions`, 'gl-rita', { body: 'On this line', position });
    expect(thread.status).toBe(201);
    expect(thread.body.notes[0]).toMatchObject({ type: 'DiffNote', body: 'On this line', position: { new_path: 'README.md', new_line: 2 } });
    expect((await send('POST', `${project('acme/restored')}/merge_requests/2/discussions`, 'gl-rita', { body: 'x', position: { ...position, head_sha: 'a'.repeat(40) } })).status).toBe(400);
    expect((await send('POST', `${project('acme/restored')}/merge_requests/2/notes`, 'gl-rita', { body: 'General remark' })).status).toBe(201);
    expect((await send('PUT', `${project('acme/restored')}/merge_requests/2`, 'gl-wendy', { state_event: 'close', title: 'Change things' })).body).toMatchObject({ state: 'closed', draft: false, user_notes_count: 2 });
    const notes = (await gitlabGet<Json[]>(`${project('acme/restored')}/merge_requests/2/notes?sort=asc`, token('gl-rita'))).body;
    expect(notes.map((n) => n.type)).toEqual(['DiffNote', null]);
  });

  it('creates releases of pushed tags with historical dates, links to uploads of the project and to elsewhere', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.from('release bytes')], { type: 'application/gzip' }), 'artifact.tar.gz');
    const uploaded = await fetch(`${project('acme/restored')}/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token('gl-wendy')}` }, body: form });
    expect(uploaded.status).toBe(201);
    const upload = (await uploaded.json()) as { url: string; full_path: string };
    expect(upload.full_path).toMatch(/^\/-\/project\/\d+\/uploads\/[0-9a-f]{32}\/artifact\.tar\.gz$/);

    const tag = Object.keys(sim.repository('acme', 'restored').refs).find((r) => r.startsWith('refs/tags/'))?.slice('refs/tags/'.length) ?? '';
    const release = await send('POST', `${project('acme/restored')}/releases`, 'gl-wendy', {
      tag_name: tag, name: `Release ${tag}`, description: 'Notes', released_at: '2024-03-01T10:00:00Z',
      assets: { links: [{ name: 'external.zip', url: 'https://downloads.example.com/external.zip', link_type: 'other' }] },
    });
    expect(release).toMatchObject({ status: 201, body: { tag_name: tag, released_at: '2024-03-01T10:00:00.000Z', author: { username: 'wendy' } } });
    expect((await send('POST', `${project('acme/restored')}/releases`, 'gl-wendy', { tag_name: tag })).status).toBe(409);
    expect((await send('POST', `${project('acme/restored')}/releases`, 'gl-wendy', { tag_name: 'v9.9.9' })).status).toBe(422);
    const link = await send('POST', `${project('acme/restored')}/releases/${encodeURIComponent(tag)}/assets/links`, 'gl-wendy', { name: 'artifact.tar.gz', url: `${sim.gitlab.baseUrl}${upload.full_path}`, link_type: 'package' });
    expect(link).toMatchObject({ status: 201, body: { name: 'artifact.tar.gz', url: `${sim.gitlab.baseUrl}${upload.full_path}`, link_type: 'package' } });
    expect((await send('POST', `${project('acme/restored')}/releases/${encodeURIComponent(tag)}/assets/links`, 'gl-wendy', { name: 'artifact.tar.gz', url: 'https://x.example.com/a' })).status).toBe(400);

    const listed = (await gitlabGet<Array<{ assets: { links: Json[] } }>>(`${project('acme/restored')}/releases`, token('gl-wendy'))).body;
    expect(listed[0]?.assets.links.map((l) => l.url)).toEqual(['https://downloads.example.com/external.zip', `${sim.gitlab.baseUrl}${upload.full_path}`]);
    const secretAndName = /\/uploads\/(.+)$/.exec(upload.full_path)?.[1] ?? '';
    const bytes = await fetch(`${project('acme/restored')}/uploads/${secretAndName}`, { headers: { authorization: `Bearer ${token('gl-wendy')}` } });
    expect(Buffer.from(await bytes.arrayBuffer()).toString()).toBe('release bytes');
    expect(sim.repository('acme', 'restored').gitlab?.counts).toMatchObject({ releases: 1, releaseLinks: 2, uploadLinks: 1 });
  });

  it('counts writes against the same per-user API budget as reads, and every route is in the write contract', () => {
    const wendy = sim.stats().identities[sim.identityOf(token('gl-wendy'))];
    expect(wendy.byResource.api).toBeGreaterThanOrEqual(15);
    expect(wendy.byResource.git).toBeGreaterThanOrEqual(4);
    const served = sim.restRoutes().gitlab.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.template}`).sort();
    expect(served).toEqual(GITLAB_WRITE_CONTRACT.map((e) => `${e.method} ${e.path}`).sort());
    expect(matchGitlabWriteContract('POST', `${api}/projects/acme%2Frestored/issues`, ['title', 'description'])?.unknownParams).toEqual([]);
    expect(matchGitlabWriteContract('POST', `${api}/projects/acme%2Frestored/issues`, ['title', 'author'])?.unknownParams).toEqual(['author']);
    expect(matchGitlabWriteContract('DELETE', `${api}/projects/1`, [])).toBeNull();
  });
});
