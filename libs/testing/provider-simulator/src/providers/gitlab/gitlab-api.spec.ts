import { startSimulator, type RunningSimulator } from '../../simulator';
import { GITLAB_CONTRACT, matchGitlabContract } from './gitlab-contract';
import { GITLAB_WRITE_CONTRACT } from './gitlab-write-contract';
import { gitlabGet, gitlabSmallSeed, walkGitlabPages } from './gitlab-test-support';

type Json = Record<string, unknown>;

describe('GitLab simulator REST API', () => {
  let sim: RunningSimulator;
  let api: string;
  const token = (name: string): string => sim.tokens[name] ?? '';
  const project = (path: string): string => `${api}/projects/${encodeURIComponent(path)}`;

  beforeAll(async () => {
    sim = await startSimulator({ seed: gitlabSmallSeed(25) });
    api = sim.gitlab.apiUrl;
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('serves GitLab on a listener of its own, API under /api/v4', async () => {
    expect(sim.gitlab.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.gitlab.baseUrl).not.toBe(sim.github.baseUrl);
    expect(api).toBe(`${sim.gitlab.baseUrl}/api/v4`);
    const me = await gitlabGet<Json>(`${api}/user`, token('gl-alice'));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'alice', bot: false, state: 'active' });
    // GitLab accepts PRIVATE-TOKEN for access tokens too.
    const privateToken = await gitlabGet<Json>(`${api}/user`, undefined, { 'private-token': token('gl-alice') });
    expect(privateToken.body).toMatchObject({ username: 'alice' });
  });

  it('gives two personal tokens of one user one identity, and each project or group access token a bot identity of its own', async () => {
    expect(sim.identityOf(token('gl-alice'))).toBe(sim.identityOf(token('gl-alice-2')));
    expect(sim.identityOf(token('gl-alice'))).toMatch(/^gitlab:user:\d+$/);
    const bots = ['gl-project-bot', 'gl-group-bot'].map((n) => sim.identityOf(token(n)));
    expect(new Set([sim.identityOf(token('gl-alice')), ...bots]).size).toBe(3);

    const projectBot = await gitlabGet<Json>(`${api}/user`, token('gl-project-bot'));
    expect(projectBot.body).toMatchObject({ bot: true, name: 'gl-project-bot' });
    expect(String(projectBot.body.username)).toMatch(/^project_\d+_bot_[0-9a-f]{32}$/);
    const groupBot = await gitlabGet<Json>(`${api}/user`, token('gl-group-bot'));
    expect(String(groupBot.body.username)).toMatch(/^group_\d+_bot_[0-9a-f]{32}$/);
    expect(sim.identityOf(token('gl-group-bot'))).toBe(`gitlab:user:${String(groupBot.body.id)}`);

    const self = await gitlabGet<Json>(`${api}/personal_access_tokens/self`, token('gl-group-bot'));
    expect(self.status).toBe(200);
    expect(self.body).toMatchObject({ name: 'gl-group-bot', user_id: groupBot.body.id, scopes: ['read_api', 'read_repository'], active: true, revoked: false, expires_at: null });
  });

  it('describes tokens: scopes, expiry and owner, for any scope; OAuth tokens at /oauth/token/info', async () => {
    const narrow = await gitlabGet<Json>(`${api}/personal_access_tokens/self`, token('gl-nora-read-repository'));
    expect(narrow.status).toBe(200);
    expect(narrow.body).toMatchObject({ scopes: ['read_repository'] });
    expect((await gitlabGet(`${api}/personal_access_tokens/self`, token('gl-alice-oauth'))).status).toBe(404);
    const info = await gitlabGet<Json>(`${sim.gitlab.baseUrl}/oauth/token/info`, token('gl-alice-oauth'));
    expect(info.status).toBe(200);
    const me = await gitlabGet<Json>(`${api}/user`, token('gl-alice-oauth'));
    expect(info.body).toMatchObject({ resource_owner_id: me.body.id, scope: ['api'] });
    expect(Number(info.body.expires_in)).toBeGreaterThan(7000);
  });

  it('answers 401 for unknown, expired and revoked tokens, and for anonymous calls that need a user', async () => {
    const before = sim.stats().authFailures.gitlab ?? 0;
    const unknown = await gitlabGet<Json>(`${api}/user`, 'glpat-00000000000000000000');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ message: '401 Unauthorized' });
    const expired = await gitlabGet<Json>(`${api}/user`, token('gl-alice-expired'));
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: 'invalid_token', error_description: 'Token has expired.' });
    expect(expired.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await gitlabGet<Json>(`${api}/user`, token('gl-alice-revoked'))).body).toMatchObject({ error_description: 'Token has been revoked.' });
    expect(sim.stats().authFailures.gitlab - before).toBe(3);
    expect((await gitlabGet<Json>(`${api}/user`)).status).toBe(401);
    // OAuth tokens are not accepted as PRIVATE-TOKEN.
    expect((await gitlabGet(`${api}/user`, undefined, { 'private-token': token('gl-alice-oauth') })).status).toBe(401);
  });

  it('answers 403 insufficient_scope when the token lacks read_api', async () => {
    for (const path of [`${api}/user`, project('acme/lfs-wiki'), `${api}/groups/acme`]) {
      const res = await gitlabGet<Json>(path, token('gl-nora-read-repository'));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.' });
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect(res.headers.get('ratelimit-limit')).toBe('2000');
    }
    expect((await gitlabGet(project('acme/lfs-wiki'), token('gl-nora-read-api'))).status).toBe(200);
  });

  it('answers 404 for what the token cannot see, by path or by id, and serves public projects anonymously', async () => {
    const hidden = await gitlabGet<Json>(project('acme/lfs-wiki'), token('gl-mallory'));
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ message: '404 Project Not Found' });
    const summary = sim.repository('acme', 'lfs-wiki');
    expect((await gitlabGet(`${api}/projects/${summary.id}`, token('gl-mallory'))).status).toBe(404);
    expect((await gitlabGet<Json>(`${api}/projects/${summary.id}`, token('gl-alice'))).body).toMatchObject({ path_with_namespace: 'acme/lfs-wiki' });
    expect((await gitlabGet<Json>(`${api}/groups/acme`, token('gl-mallory'))).body).toEqual({ message: '404 Group Not Found' });
    expect((await gitlabGet(`${api}/groups/acme`)).status).toBe(404);
    expect((await gitlabGet(`${api}/no/such/route`, token('gl-alice'))).status).toBe(404);
    const open = await gitlabGet<Json>(project('opensource/public-one'));
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ visibility: 'public' });
    // The project bot sees its project only.
    expect((await gitlabGet(project('acme/lfs-wiki'), token('gl-project-bot'))).status).toBe(200);
    expect((await gitlabGet(project('acme/svc-0001'), token('gl-project-bot'))).status).toBe(404);
  });

  it('walks /groups/:id/projects with offset pagination (link, x-next-page, x-total…), with and without subgroups', async () => {
    const everything = ['acme', 'acme/platform', 'acme/platform/deep'].flatMap((owner) => sim.listRepositories(owner).map((name) => `${owner}/${name}`));
    expect(everything).toHaveLength(1 + 25 + 3 + 1);
    const walked = await walkGitlabPages<Json>(`${api}/groups/acme/projects?include_subgroups=true&per_page=10`, token('gl-alice'));
    expect(walked.items.map((p) => p.path_with_namespace).sort()).toEqual([...everything].sort());
    expect(walked.responses).toHaveLength(3);
    const first = walked.responses[0].headers;
    expect([first.get('x-page'), first.get('x-per-page'), first.get('x-next-page'), first.get('x-prev-page'), first.get('x-total'), first.get('x-total-pages')]).toEqual(['1', '10', '2', '', '30', '3']);
    expect(first.get('link')).toMatch(/rel="next".*rel="first".*rel="last"/);
    expect(walked.responses[2].headers.get('x-next-page')).toBe('');
    expect(walked.responses[0].headers.get('ratelimit-remaining')).not.toBeNull();

    const direct = await walkGitlabPages<Json>(`${api}/groups/acme/projects?per_page=100`, token('gl-alice'));
    expect(direct.items).toHaveLength(26);
    const groupId = (await gitlabGet<Json>(`${api}/groups/acme%2Fplatform`, token('gl-bob'))).body.id;
    const byId = await walkGitlabPages<Json>(`${api}/groups/${String(groupId)}/projects?include_subgroups=true`, token('gl-bob'));
    expect(byId.items.map((p) => p.path_with_namespace).sort()).toEqual(['acme/platform/deep/core', 'acme/platform/plat-0001', 'acme/platform/plat-0002', 'acme/platform/plat-0003']);
  });

  it('walks /projects?membership=true with keyset pagination (link rel=next only)', async () => {
    const walked = await walkGitlabPages<Json>(`${api}/projects?membership=true&pagination=keyset&order_by=id&sort=asc&per_page=7`, token('gl-alice'));
    const ids = walked.items.map((p) => Number(p.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(walked.items).toHaveLength(30);
    expect(walked.responses).toHaveLength(5);
    expect(walked.responses[0].headers.get('x-total')).toBeNull();
    expect(walked.responses[0].headers.get('link')).toMatch(/id_after=\d+.*rel="next"/);
    expect(walked.responses[4].headers.get('link')).toBeNull();
    const bot = await walkGitlabPages<Json>(`${api}/projects?membership=true&pagination=keyset&order_by=id&sort=asc`, token('gl-project-bot'));
    expect(bot.items.map((p) => p.path_with_namespace)).toEqual(['acme/lfs-wiki']);
    expect((await gitlabGet(`${api}/projects?pagination=keyset&order_by=name`, token('gl-alice'))).status).toBe(405);
  });

  it('lists subgroups and effective group membership', async () => {
    expect((await walkGitlabPages<Json>(`${api}/groups/acme/subgroups`, token('gl-alice'))).items.map((g) => g.full_path)).toEqual(['acme/platform']);
    expect((await walkGitlabPages<Json>(`${api}/groups/acme%2Fplatform/subgroups`, token('gl-alice'))).items.map((g) => g.full_path)).toEqual(['acme/platform/deep']);
    const alice = (await gitlabGet<Json>(`${api}/user`, token('gl-alice'))).body;
    const inherited = await gitlabGet<Json>(`${api}/groups/acme%2Fplatform%2Fdeep/members/all/${String(alice.id)}`, token('gl-bob'));
    expect(inherited.body).toMatchObject({ username: 'alice', access_level: 50 });
    const botId = (await gitlabGet<Json>(`${api}/user`, token('gl-project-bot'))).body.id;
    expect((await gitlabGet(`${api}/groups/acme/members/all/${String(botId)}`, token('gl-alice'))).status).toBe(404);
  });

  it('lists issues, merge requests and their notes with the counts the summary reports', async () => {
    const summary = sim.repository('acme', 'lfs-wiki');
    const counts = summary.gitlab?.counts;
    const issues = await walkGitlabPages<Json>(`${project('acme/lfs-wiki')}/issues?scope=all&per_page=2`, token('gl-alice'));
    const mrs = await walkGitlabPages<Json>(`${project('acme/lfs-wiki')}/merge_requests?state=all&per_page=100`, token('gl-alice'));
    expect(issues.items).toHaveLength(counts?.issues ?? -1);
    expect(mrs.items).toHaveLength(counts?.mergeRequests ?? -1);
    expect(mrs.items.every((m) => typeof m.sha === 'string' && summary.refs[`refs/merge-requests/${String(m.iid)}/head`] === m.sha)).toBe(true);
    let issueNotes = 0;
    for (const issue of issues.items) {
      const notes = await walkGitlabPages<Json>(`${project('acme/lfs-wiki')}/issues/${String(issue.iid)}/notes?sort=asc`, token('gl-alice'));
      expect(notes.items.every((n) => n.noteable_type === 'Issue' && n.noteable_iid === issue.iid)).toBe(true);
      expect(notes.items).toHaveLength(Number(issue.user_notes_count));
      issueNotes += notes.items.length;
    }
    let mrNotes = 0;
    let diffNotes = 0;
    for (const mr of mrs.items) {
      const notes = await walkGitlabPages<Json>(`${project('acme/lfs-wiki')}/merge_requests/${String(mr.iid)}/notes`, token('gl-alice'));
      mrNotes += notes.items.length;
      diffNotes += notes.items.filter((n) => n.type === 'DiffNote').length;
    }
    expect(issueNotes).toBe(counts?.issueNotes);
    expect(mrNotes).toBe(counts?.mergeRequestNotes);
    expect(diffNotes).toBeGreaterThan(0);
    expect(summary.metadataCounts).toMatchObject({ issues: counts?.issues, pulls: counts?.mergeRequests, issueComments: issueNotes, reviewComments: mrNotes, reviews: 0 });
    expect((await gitlabGet(`${project('acme/lfs-wiki')}/issues/9999/notes`, token('gl-alice'))).status).toBe(404);
  });

  it('filters issues, merge requests and milestones with updated_after, seeing notes added upstream', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const issues = await gitlabGet<Json[]>(`${project('acme/svc-0002')}/issues?scope=all&updated_after=${since}`, token('gl-alice'));
    expect(issues.body).toEqual([]);
    const iid = Number((await gitlabGet<Json[]>(`${project('acme/svc-0002')}/issues?scope=all`, token('gl-alice'))).body[0].iid);
    sim.addIssueComment('acme', 'svc-0002', iid, 'a note added upstream');
    const changed = await gitlabGet<Json[]>(`${project('acme/svc-0002')}/issues?scope=all&updated_after=${since}`, token('gl-alice'));
    expect(changed.body.map((i) => i.iid)).toEqual([iid]);
    const notes = await walkGitlabPages<Json>(`${project('acme/svc-0002')}/issues/${iid}/notes?sort=asc`, token('gl-alice'));
    expect(notes.items[notes.items.length - 1]).toMatchObject({ body: 'a note added upstream', noteable_type: 'Issue' });
    expect((await gitlabGet<Json[]>(`${project('acme/svc-0002')}/merge_requests?state=all&updated_after=${since}`, token('gl-alice'))).body).toEqual([]);
    const mrIid = Number((await gitlabGet<Json[]>(`${project('acme/svc-0002')}/merge_requests?state=all`, token('gl-alice'))).body[0].iid);
    sim.gitlab.addNote('acme/svc-0002', 'merge_request', mrIid, 'review note');
    expect((await gitlabGet<Json[]>(`${project('acme/svc-0002')}/merge_requests?state=all&updated_after=${since}`, token('gl-alice'))).body.map((m) => m.iid)).toEqual([mrIid]);
    expect((await gitlabGet<Json[]>(`${project('acme/svc-0002')}/milestones?updated_after=2030-01-01T00:00:00Z`, token('gl-alice'))).body).toEqual([]);
    expect((await gitlabGet<Json[]>(`${project('acme/svc-0002')}/milestones?updated_after=2020-01-01T00:00:00Z`, token('gl-alice'))).body).toHaveLength(1);
    expect((await gitlabGet(`${project('acme/svc-0002')}/issues?updated_after=yesterday`, token('gl-alice'))).status).toBe(400);
  });

  it('serves releases with asset links, and the bytes of links that are GitLab uploads', async () => {
    const summary = sim.repository('acme', 'lfs-wiki');
    const releases = await walkGitlabPages<{ tag_name: string; assets: { links: Array<{ id: number; url: string }> } }>(`${project('acme/lfs-wiki')}/releases`, token('gl-alice'));
    expect(releases.items).toHaveLength(summary.gitlab?.counts.releases ?? -1);
    const links = releases.items.flatMap((r) => r.assets.links);
    expect(links).toHaveLength(summary.gitlab?.counts.releaseLinks ?? -1);
    const uploads = links.filter((l) => l.url.startsWith(`${sim.gitlab.baseUrl}/acme/lfs-wiki/uploads/`));
    expect(uploads).toHaveLength(summary.gitlab?.counts.uploadLinks ?? -1);
    expect(uploads.length).toBeGreaterThan(0);
    expect(uploads.length).toBeLessThan(links.length);
    const [, secret, filename] = /\/uploads\/([0-9a-f]{32})\/(.+)$/.exec(uploads[0].url) ?? [];
    const download = await fetch(`${project('acme/lfs-wiki')}/uploads/${secret}/${filename}`, { headers: { authorization: `Bearer ${token('gl-alice')}` } });
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect((await gitlabGet(`${project('acme/lfs-wiki')}/uploads/${'0'.repeat(32)}/${filename}`, token('gl-alice'))).status).toBe(404);
  });

  it('lists project labels with inherited group labels unless told not to, and group labels and milestones', async () => {
    const summary = sim.repository('acme', 'svc-0003');
    const all = await walkGitlabPages<Json>(`${project('acme/svc-0003')}/labels`, token('gl-alice'));
    const own = await walkGitlabPages<Json>(`${project('acme/svc-0003')}/labels?include_ancestor_groups=false`, token('gl-alice'));
    expect(own.items).toHaveLength(summary.metadataCounts.labels);
    expect(all.items).toHaveLength(summary.metadataCounts.labels + 2);
    expect(all.items.filter((l) => l.is_project_label === false)).toHaveLength(2);
    expect((await walkGitlabPages<Json>(`${api}/groups/acme/labels`, token('gl-alice'))).items).toHaveLength(2);
    expect((await walkGitlabPages<Json>(`${api}/groups/acme%2Fplatform/labels?include_ancestor_groups=false`, token('gl-alice'))).items).toHaveLength(0);
    expect((await walkGitlabPages<Json>(`${api}/groups/acme%2Fplatform/milestones`, token('gl-alice'))).items).toHaveLength(1);
  });

  it('publishes merge request heads as refs/merge-requests/N/head (never GitHub pull refs)', () => {
    const refs = Object.keys(sim.repository('acme', 'lfs-wiki').refs);
    expect(refs.filter((r) => /^refs\/merge-requests\/\d+\/head$/.test(r))).toHaveLength(2);
    expect(refs.some((r) => r.startsWith('refs/pull/'))).toBe(false);
  });

  it('serves exactly the routes of the hand-written contract, with the fields it promises', async () => {
    const served = sim.restRoutes().gitlab.map((r) => `${r.method} ${r.template}`).sort();
    expect(served).toEqual([...GITLAB_CONTRACT, ...GITLAB_WRITE_CONTRACT].map((e) => `${e.method} ${e.path}`).sort());
    const alice = (await gitlabGet<Json>(`${api}/user`, token('gl-alice'))).body;
    const release = (await gitlabGet<Array<{ assets: { links: Array<{ url: string }> } }>>(`${project('acme/lfs-wiki')}/releases`, token('gl-alice'))).body[0];
    const upload = release.assets.links.map((l) => /\/uploads\/(.+)$/.exec(l.url)?.[1]).find(Boolean) ?? '';
    const examples: Record<string, { url: string; token: string }> = {
      '/api/v4/user': { url: `${api}/user`, token: 'gl-alice' },
      '/api/v4/personal_access_tokens/self': { url: `${api}/personal_access_tokens/self`, token: 'gl-alice' },
      '/oauth/token/info': { url: `${sim.gitlab.baseUrl}/oauth/token/info`, token: 'gl-alice-oauth' },
      '/api/v4/groups': { url: `${api}/groups`, token: 'gl-alice' },
      '/api/v4/groups/{id}': { url: `${api}/groups/acme?with_projects=false`, token: 'gl-alice' },
      '/api/v4/groups/{id}/projects': { url: `${api}/groups/acme/projects?include_subgroups=true`, token: 'gl-alice' },
      '/api/v4/groups/{id}/subgroups': { url: `${api}/groups/acme/subgroups`, token: 'gl-alice' },
      '/api/v4/groups/{id}/members/all/{user_id}': { url: `${api}/groups/acme/members/all/${String(alice.id)}`, token: 'gl-alice' },
      '/api/v4/groups/{id}/labels': { url: `${api}/groups/acme/labels`, token: 'gl-alice' },
      '/api/v4/groups/{id}/milestones': { url: `${api}/groups/acme/milestones`, token: 'gl-alice' },
      '/api/v4/projects': { url: `${api}/projects?membership=true`, token: 'gl-alice' },
      '/api/v4/projects/{id}': { url: project('acme/lfs-wiki'), token: 'gl-alice' },
      '/api/v4/projects/{id}/issues': { url: `${project('acme/lfs-wiki')}/issues`, token: 'gl-alice' },
      '/api/v4/projects/{id}/issues/{issue_iid}/notes': { url: '', token: 'gl-alice' },
      '/api/v4/projects/{id}/merge_requests': { url: `${project('acme/lfs-wiki')}/merge_requests`, token: 'gl-alice' },
      '/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes': { url: '', token: 'gl-alice' },
      '/api/v4/projects/{id}/releases': { url: `${project('acme/lfs-wiki')}/releases`, token: 'gl-alice' },
      '/api/v4/projects/{id}/labels': { url: `${project('acme/lfs-wiki')}/labels`, token: 'gl-alice' },
      '/api/v4/projects/{id}/milestones': { url: `${project('acme/lfs-wiki')}/milestones`, token: 'gl-alice' },
      '/api/v4/projects/{id}/uploads/{secret}/{filename}': { url: `${project('acme/lfs-wiki')}/uploads/${upload}`, token: 'gl-alice' },
    };
    const issue = (await gitlabGet<Json[]>(examples['/api/v4/projects/{id}/issues'].url, token('gl-alice'))).body.find((i) => Number(i.user_notes_count) > 0);
    const mr = (await gitlabGet<Json[]>(examples['/api/v4/projects/{id}/merge_requests'].url, token('gl-alice'))).body.find((m) => Number(m.user_notes_count) > 0);
    examples['/api/v4/projects/{id}/issues/{issue_iid}/notes'].url = `${project('acme/lfs-wiki')}/issues/${String(issue?.iid)}/notes`;
    examples['/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes'].url = `${project('acme/lfs-wiki')}/merge_requests/${String(mr?.iid)}/notes`;

    for (const endpoint of GITLAB_CONTRACT) {
      const example = examples[endpoint.path];
      expect(example).toBeDefined();
      const match = matchGitlabContract('GET', example.url);
      expect(match?.endpoint.path).toBe(endpoint.path);
      expect(match?.unknownQuery).toEqual([]);
      const res = await gitlabGet<unknown>(example.url, token(example.token));
      expect(`${endpoint.path} ${res.status}`).toBe(`${endpoint.path} 200`);
      if (endpoint.response === 'bytes') continue;
      const items = (endpoint.response === 'list' ? res.body : [res.body]) as Json[];
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) for (const field of endpoint.fields) expect(`${endpoint.path} ${field}: ${field in item}`).toBe(`${endpoint.path} ${field}: true`);
    }
  });
});
