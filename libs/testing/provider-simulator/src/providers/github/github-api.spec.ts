import { demoSeed } from '../../demo-seed';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { getJson, walkPages } from '../../test-support/api-client';
import { smallSeed } from '../../test-support/small-seed';

interface Repo {
  name: string;
  full_name: string;
  private: boolean;
  clone_url: string;
  permissions?: { push: boolean };
}

describe('GitHub REST API (demo world)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
  });
  afterAll(() => sim?.close());

  it('returns every repository when a client follows the link header', async () => {
    const walk = await walkPages<Repo>(`${sim.github.baseUrl}/orgs/acme/repos?type=all&per_page=7`, sim.tokens.alice);
    expect(walk.pages).toBe(8);
    const names = walk.items.map((r) => r.name).sort();
    expect(names).toEqual([...sim.listRepositories('acme')].sort());
    expect(new Set(names).size).toBe(50);
    expect(walk.items.filter((r) => r.private)).toHaveLength(16);
  });

  it('keeps /api/v3 in the links when the Enterprise base is used', async () => {
    const walk = await walkPages<Repo>(`${sim.github.enterpriseApiUrl}/orgs/acme/repos?per_page=20`, sim.tokens.bob);
    expect(walk.items).toHaveLength(50);
    expect(walk.urls.slice(1).every((u) => u.startsWith(`${sim.github.enterpriseApiUrl}/orgs/acme/repos?`))).toBe(true);
    const repo = await getJson<Repo>(`${sim.github.enterpriseApiUrl}/repos/acme/repo-0001`, sim.tokens.bob);
    expect(repo.body.clone_url).toBe(`${sim.github.baseUrl}/acme/repo-0001.git`);
  });

  it('lists only what a token may see: an outsider and anonymous callers get public repositories', async () => {
    const mallory = await walkPages<Repo>(`${sim.github.baseUrl}/orgs/acme/repos?per_page=100`, sim.tokens.mallory);
    const anonymous = await walkPages<Repo>(`${sim.github.baseUrl}/orgs/acme/repos?per_page=100`);
    expect(mallory.items).toHaveLength(34);
    expect(mallory.items.some((r) => r.private)).toBe(false);
    expect(anonymous.items.map((r) => r.name)).toEqual(mallory.items.map((r) => r.name));
  });

  it('GET /user identifies the token owner, with X-OAuth-Scopes only for classic tokens', async () => {
    const classic = await getJson<{ login: string; id: number }>(`${sim.github.baseUrl}/user`, sim.tokens.alice);
    expect(classic.status).toBe(200);
    expect(classic.body).toMatchObject({ login: 'alice', id: 1001 });
    expect(classic.headers.get('x-oauth-scopes')).toBe('repo, read:org');
    expect(classic.headers.has('x-accepted-oauth-scopes')).toBe(true);
    const second = await getJson<{ id: number }>(`${sim.github.baseUrl}/user`, sim.tokens['alice-2']);
    expect(second.body.id).toBe(1001);
    expect(sim.identityOf(sim.tokens['alice-2'])).toBe(sim.identityOf(sim.tokens.alice));
    const fine = await getJson<{ login: string }>(`${sim.github.baseUrl}/user`, sim.tokens['erin-fine-grained']);
    expect(sim.tokens['erin-fine-grained']).toMatch(/^github_pat_/);
    expect(fine.body.login).toBe('erin');
    expect(fine.headers.has('x-oauth-scopes')).toBe(false);
    expect(fine.headers.has('x-accepted-oauth-scopes')).toBe(false);
  });

  it('answers 401 Bad credentials for unknown or malformed tokens, with Bearer accepted too', async () => {
    for (const authorization of ['token ghp_doesnotexist0000000000000000000000', 'Bearer nope', 'garbage']) {
      const res = await fetch(`${sim.github.baseUrl}/user`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' });
    }
    const bearer = await fetch(`${sim.github.baseUrl}/user`, { headers: { authorization: `Bearer ${sim.tokens.bob}` } });
    expect(bearer.status).toBe(200);
    const anonymous = await getJson<{ message: string }>(`${sim.github.baseUrl}/user`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toBe('Requires authentication');
    expect(sim.stats().authFailures.github).toBe(3);
  });

  it('answers 404 Not Found for a private repository the token cannot see, and for what does not exist', async () => {
    const privateName = 'repo-0003';
    expect(sim.repository('acme', privateName).private).toBe(true);
    for (const token of [sim.tokens.mallory, undefined]) {
      const res = await getJson<{ message: string }>(`${sim.github.baseUrl}/repos/acme/${privateName}`, token);
      expect(res.status).toBe(404);
      expect(res.body.message).toBe('Not Found');
      const issues = await getJson<unknown>(`${sim.github.baseUrl}/repos/acme/${privateName}/issues`, token);
      expect(issues.status).toBe(404);
    }
    expect((await getJson(`${sim.github.baseUrl}/repos/acme/${privateName}`, sim.tokens.dave)).status).toBe(200);
    expect((await getJson(`${sim.github.baseUrl}/repos/acme/${privateName}`, sim.tokens['erin-fine-grained'])).status).toBe(200);
    expect((await getJson(`${sim.github.baseUrl}/repos/acme/nope`, sim.tokens.alice)).status).toBe(404);
    expect((await getJson(`${sim.github.baseUrl}/repos/acme/repo-0001/backups`, sim.tokens.alice)).status).toBe(404);
  });

  it('checks organization membership the way a backup product validates a token', async () => {
    const member = await getJson<{ state: string; role: string }>(`${sim.github.baseUrl}/user/memberships/orgs/acme`, sim.tokens.alice);
    expect(member.body).toMatchObject({ state: 'active', role: 'admin' });
    expect((await getJson(`${sim.github.baseUrl}/user/memberships/orgs/acme`, sim.tokens.mallory)).status).toBe(404);
    const asMember = await fetch(`${sim.github.baseUrl}/orgs/acme/members/bob`, { headers: { authorization: `token ${sim.tokens.alice}` }, redirect: 'manual' });
    expect(asMember.status).toBe(204);
    const outsider = await fetch(`${sim.github.baseUrl}/orgs/acme/members/bob`, { headers: { authorization: `token ${sim.tokens.mallory}` }, redirect: 'manual' });
    expect(outsider.status).toBe(302);
    expect(outsider.headers.get('location')).toBe(`${sim.github.baseUrl}/orgs/acme/public_members/bob`);
  });
});

describe('GitHub REST API (metadata)', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: smallSeed(2) });
  });
  afterAll(() => sim?.close());

  const get = <T>(path: string, token = sim.tokens.alice): Promise<{ status: number; headers: Headers; body: T }> => getJson<T>(`${sim.github.baseUrl}${path}`, token);

  it('serves issues with pull requests among them (shared numbering) and pulls alone', async () => {
    const counts = sim.repository('acme', 'lfs-wiki').metadataCounts;
    const issues = await get<Array<{ number: number; pull_request?: { url: string } }>>('/repos/acme/lfs-wiki/issues?state=all&per_page=100');
    expect(issues.body).toHaveLength(counts.issues + counts.pulls);
    expect(issues.body.map((i) => i.number).sort((a, b) => a - b)).toEqual(Array.from({ length: counts.issues + counts.pulls }, (_, i) => i + 1));
    const prNumbers = issues.body.filter((i) => i.pull_request).map((i) => i.number).sort();
    const pulls = await get<Array<{ number: number; head: { ref: string; sha: string } }>>('/repos/acme/lfs-wiki/pulls?state=all');
    expect(pulls.body.map((p) => p.number).sort()).toEqual(prNumbers);
    const refs = sim.repository('acme', 'lfs-wiki').refs;
    for (const pull of pulls.body) expect(pull.head.sha).toBe(refs[`refs/pull/${pull.number}/head`]);
  });

  it('serves comments, reviews, releases with downloadable assets, labels, milestones, branches and tags', async () => {
    const counts = sim.repository('acme', 'lfs-wiki').metadataCounts;
    expect((await get<unknown[]>('/repos/acme/lfs-wiki/issues/comments?per_page=100')).body).toHaveLength(counts.issueComments);
    expect((await get<unknown[]>('/repos/acme/lfs-wiki/pulls/comments?per_page=100')).body).toHaveLength(counts.reviewComments);
    expect((await get<unknown[]>('/repos/acme/lfs-wiki/issues/1/comments')).body).toHaveLength(2);
    const pulls = await get<Array<{ number: number }>>('/repos/acme/lfs-wiki/pulls?state=all');
    expect((await get<unknown[]>(`/repos/acme/lfs-wiki/pulls/${pulls.body[0].number}/reviews`)).body).toHaveLength(1);
    const releases = await get<Array<{ id: number; tag_name: string; assets: Array<{ id: number; size: number }> }>>('/repos/acme/lfs-wiki/releases');
    expect(releases.body).toHaveLength(counts.releases);
    const assets = await get<Array<{ id: number; size: number }>>(`/repos/acme/lfs-wiki/releases/${releases.body[0].id}/assets`);
    expect(assets.body).toHaveLength(counts.releaseAssets);
    const download = await fetch(`${sim.github.baseUrl}/repos/acme/lfs-wiki/releases/assets/${assets.body[0].id}`, {
      headers: { authorization: `token ${sim.tokens.alice}`, accept: 'application/octet-stream' },
    });
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(assets.body[0].size);
    expect((await get<unknown[]>('/repos/acme/lfs-wiki/labels')).body).toHaveLength(counts.labels);
    expect((await get<unknown[]>('/repos/acme/lfs-wiki/milestones?state=all')).body).toHaveLength(counts.milestones);
    const refs = sim.repository('acme', 'lfs-wiki').refs;
    const branches = await get<Array<{ name: string; commit: { sha: string } }>>('/repos/acme/lfs-wiki/branches');
    expect(branches.body.map((b) => `refs/heads/${b.name}`).sort()).toEqual(Object.keys(refs).filter((r) => r.startsWith('refs/heads/')).sort());
    const tags = await get<Array<{ name: string }>>('/repos/acme/lfs-wiki/tags');
    expect(tags.body.map((t) => t.name).sort()).toEqual(['v0.1.0', 'v0.2.0']);
  });

  it('filters issues and comments with since=, so an incremental backup sees a new comment', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    expect((await get<unknown[]>(`/repos/acme/public-one/issues?state=all&since=${before}`)).body).toHaveLength(0);
    sim.addIssueComment('acme', 'public-one', 2, 'new upstream comment');
    const issues = await get<Array<{ number: number }>>(`/repos/acme/public-one/issues?state=all&since=${before}`);
    expect(issues.body.map((i) => i.number)).toEqual([2]);
    const comments = await get<Array<{ body: string }>>(`/repos/acme/public-one/issues/comments?since=${before}`);
    expect(comments.body.map((c) => c.body)).toEqual(['new upstream comment']);
  });

  it('applies token scopes: a classic token without repo scope cannot see private repositories', async () => {
    expect((await get('/repos/acme/lfs-wiki', sim.tokens['nora-no-repo-scope'])).status).toBe(404);
    expect((await get('/repos/acme/public-one', sim.tokens['nora-no-repo-scope'])).status).toBe(200);
    const repo = await get<{ permissions: { push: boolean; admin: boolean } }>('/repos/acme/lfs-wiki', sim.tokens.bob);
    expect(repo.body.permissions).toMatchObject({ push: false, admin: false });
    expect((await get<{ permissions: { push: boolean } }>('/repos/acme/lfs-wiki')).body.permissions.push).toBe(true);
  });
});
