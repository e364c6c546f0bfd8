import { demoSeed } from '../../demo-seed';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { basic, getJson, walkCloudPages, type CloudPage } from './bitbucket-cloud-test-support';

interface Repo {
  full_name: string;
  slug: string;
  is_private: boolean;
  has_issues: boolean;
  project: { key: string };
  links: { clone: Array<{ name: string; href: string }> };
}

describe('Bitbucket Cloud REST API 2.0', () => {
  let sim: RunningSimulator;
  let api: string;
  const alice = (): string => basic('alice@example.com', sim.tokens['bbc-alice']);
  const bearer = (name: string): string => `Bearer ${sim.tokens[name]}`;

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
    api = sim.bitbucketCloud.apiUrl;
  }, 60_000);
  afterAll(() => sim?.close());

  it('walks every repository of the workspace by following `next` (page, pagelen, size)', async () => {
    const first = await getJson<CloudPage<Repo>>(`${api}/repositories/acme-ws?pagelen=20`, alice());
    expect(first.body).toMatchObject({ page: 1, pagelen: 20, size: 50 });
    expect(first.body.next).toBe(`${api}/repositories/acme-ws?pagelen=20&page=2`);
    const walked = await walkCloudPages<Repo>(`${api}/repositories/acme-ws?pagelen=20`, alice());
    expect(walked.urls).toHaveLength(3);
    expect(walked.items.map((r) => r.slug)).toEqual(sim.listRepositories('acme-ws'));
    expect(walked.items[0].links.clone[0].href).toBe(`${sim.bitbucketCloud.gitUrl.replace('//', '//alice@')}/acme-ws/repo-0001.git`);
    expect(new Set(walked.items.map((r) => r.project.key))).toEqual(new Set(['CORE', 'WEB']));
    expect((await getJson(`${api}/repositories/acme-ws?pagelen=101`, alice())).status).toBe(400);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0002/pullrequests?pagelen=51`, alice())).status).toBe(400);
  });

  it('tells what a credential is in x-credential-type and x-oauth-scopes', async () => {
    const user = await getJson<{ nickname: string; uuid: string; account_id: string }>(`${api}/user`, alice());
    expect(user.status).toBe(200);
    expect(user.body.nickname).toBe('alice');
    expect(user.body.uuid).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(user.headers.get('x-credential-type')).toBe('api_token');
    expect(user.headers.get('x-oauth-scopes')).toContain('read:pullrequest:bitbucket');
    // Access tokens have no user: /2.0/user refuses them, but the headers still say what they are.
    const token = await getJson(`${api}/user`, bearer('bbc-repo-token'));
    expect(token.status).toBe(403);
    expect(token.headers.get('x-credential-type')).toBe('repo_access_token');
    expect(token.headers.get('x-oauth-scopes')).toBe('repository, pullrequest');
    expect((await getJson(`${api}/user`, bearer('bbc-workspace-token'))).headers.get('x-credential-type')).toBe('workspace_access_token');
    expect((await getJson(`${api}/user`, bearer('bbc-project-token'))).headers.get('x-credential-type')).toBe('project_access_token');
  });

  it('counts two API tokens of one user as one identity, and every access token as its own', () => {
    expect(sim.identityOf(sim.tokens['bbc-alice'])).toBe(sim.identityOf(sim.tokens['bbc-alice-2']));
    expect(sim.identityOf(sim.tokens['bbc-alice'])).toMatch(/^bitbucket-cloud:user:\{[0-9a-f-]{36}\}$/);
    expect(sim.identityOf(sim.tokens['bbc-repo-token'])).toMatch(/^bitbucket-cloud:token:\{[0-9a-f-]{36}\}$/);
    expect(sim.identityOf(sim.tokens['bbc-repo-token'])).not.toBe(sim.identityOf(sim.tokens['bbc-project-token']));
  });

  it('takes API tokens only as Basic with the account email, access tokens only as Bearer, and no app passwords', async () => {
    expect((await getJson(`${api}/user`, basic('alice', sim.tokens['bbc-alice']))).status).toBe(401);
    expect((await getJson(`${api}/user`, bearer('bbc-alice'))).status).toBe(401);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, basic('x-token-auth', sim.tokens['bbc-repo-token']))).status).toBe(401);
    const app = await getJson<{ error: { message: string } }>(`${api}/user`, basic('erin', sim.tokens['bbc-erin-app-password']));
    expect(app.status).toBe(401);
    expect(app.body.error.message).toMatch(/2026-07-28/);
    expect(sim.tokens['bbc-erin-app-password']).toMatch(/^ATBB/);
    expect(sim.tokens['bbc-alice']).toMatch(/^ATATT3xFfGF0/);
    expect(sim.tokens['bbc-repo-token']).toMatch(/^ATCTT3xFfGN0/);
    expect(sim.stats().authFailures['bitbucket-cloud']).toBeGreaterThanOrEqual(4);
  });

  it('answers 404 for repositories the credential cannot see, and leaves them out of listings', async () => {
    expect((await getJson(`${api}/repositories/acme-ws/repo-0003`, basic('mallory@example.com', sim.tokens['bbc-mallory']))).status).toBe(404);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0002`, bearer('bbc-repo-token'))).status).toBe(404);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, bearer('bbc-repo-token'))).status).toBe(200);
    expect((await getJson(`${api}/workspaces/acme-ws`, basic('mallory@example.com', sim.tokens['bbc-mallory']))).status).toBe(404);
    const outsider = await walkCloudPages<Repo>(`${api}/repositories/acme-ws?pagelen=100`, basic('mallory@example.com', sim.tokens['bbc-mallory']));
    expect(outsider.items.every((r) => !r.is_private)).toBe(true);
    expect(outsider.items.length).toBe(50 - Math.floor(50 / 3));
    const repoToken = await walkCloudPages<Repo>(`${api}/repositories/acme-ws?pagelen=100`, bearer('bbc-repo-token'));
    expect(repoToken.items.map((r) => r.slug)).toEqual(['repo-0001']);
    const project = await walkCloudPages<Repo>(`${api}/repositories/acme-ws?pagelen=100`, bearer('bbc-project-token'));
    expect(project.items.length).toBe(25);
    expect(project.items.every((r) => r.project.key === 'CORE')).toBe(true);
  });

  it('refuses endpoints the token has no scope for, and issues where the tracker is disabled', async () => {
    const gitOnly = basic('dave@example.com', sim.tokens['bbc-dave-git-only']);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, gitOnly)).status).toBe(200);
    const prs = await getJson<{ error: { message: string; detail: { required: string[] } } }>(`${api}/repositories/acme-ws/repo-0001/pullrequests`, gitOnly);
    expect(prs.status).toBe(403);
    expect(prs.body.error.detail.required).toEqual(['read:pullrequest:bitbucket']);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0002/issues`, gitOnly)).status).toBe(403);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001/issues`, alice())).status).toBe(404);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0002/issues`, alice())).status).toBe(200);
  });

  it('serves what the summary counts: pull requests (all states), their comments, issues, comments, tags and downloads', async () => {
    for (const name of ['repo-0002', 'repo-0005']) {
      const counts = sim.repository('acme-ws', name).bitbucketCloud;
      const base = `${api}/repositories/acme-ws/${name}`;
      const pulls = await walkCloudPages<{ id: number; state: string; comment_count: number }>(`${base}/pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED&pagelen=50`, alice());
      expect(pulls.items.length).toBe(counts?.pullRequests);
      let comments = 0;
      for (const pull of pulls.items) comments += (await walkCloudPages(`${base}/pullrequests/${pull.id}/comments?pagelen=100`, alice())).items.length;
      expect(comments).toBe(counts?.pullRequestComments);
      const tracker = (await getJson<Repo>(base, alice())).body.has_issues;
      expect(tracker).toBe(name === 'repo-0002');
      const issues = tracker ? await walkCloudPages<{ id: number }>(`${base}/issues?pagelen=100`, alice()) : { items: [] };
      expect(issues.items.length).toBe(counts?.issues);
      let issueComments = 0;
      for (const issue of issues.items) issueComments += (await walkCloudPages(`${base}/issues/${issue.id}/comments`, alice())).items.length;
      expect(issueComments).toBe(counts?.issueComments);
      expect((await walkCloudPages(`${base}/refs/tags`, alice())).items.length).toBe(counts?.tags);
      expect((await walkCloudPages(`${base}/downloads`, alice())).items.length).toBe(counts?.downloads);
    }
    const openOnly = await walkCloudPages<{ state: string }>(`${api}/repositories/acme-ws/repo-0002/pullrequests`, alice());
    expect(openOnly.items.every((p) => p.state === 'OPEN')).toBe(true);
  });

  it('filters with q=updated_on>… so an incremental run sees only what changed', async () => {
    const cutoff = new Date(Date.now() - 1000).toISOString();
    const issues = await walkCloudPages<{ id: number }>(`${api}/repositories/acme-ws/repo-0004/issues`, alice());
    expect(issues.items.length).toBeGreaterThan(0);
    const before = await getJson<CloudPage<unknown>>(`${api}/repositories/acme-ws/repo-0004/issues?q=${encodeURIComponent(`updated_on > ${cutoff}`)}`, alice());
    expect(before.body.values).toHaveLength(0);
    sim.addIssueComment('acme-ws', 'repo-0004', issues.items[0].id, 'new upstream comment');
    const after = await getJson<CloudPage<{ id: number }>>(`${api}/repositories/acme-ws/repo-0004/issues?q=${encodeURIComponent(`updated_on > ${cutoff}`)}`, alice());
    expect(after.body.values.map((i) => i.id)).toEqual([issues.items[0].id]);
    const repos = await getJson<CloudPage<Repo>>(`${api}/repositories/acme-ws?q=${encodeURIComponent('updated_on > 2030-01-01T00:00:00Z')}`, alice());
    expect(repos.body.values).toHaveLength(0);
    expect((await getJson(`${api}/repositories/acme-ws?q=${encodeURIComponent('nonsense ~~ 1')}`, alice())).status).toBe(400);
  });

  it('tells URLs and identities in /__sim/info and takes test-time changes over HTTP, on its own port too', async () => {
    const hooks = `${sim.bitbucketCloud.gitUrl}/__sim`;
    const info = (await (await fetch(`${hooks}/info`)).json()) as { bitbucketCloud: { apiUrl: string }; bitbucketDc: { baseUrl: string }; identities: Record<string, string> };
    expect(info.bitbucketCloud.apiUrl).toBe(api);
    expect(info.bitbucketDc.baseUrl).toBe(sim.bitbucketDc.baseUrl);
    expect(info.identities['bbc-alice']).toBe(sim.identityOf(sim.tokens['bbc-alice']));
    expect(info.identities['bbdc-project-eng']).toMatch(/^bitbucket-dc:token:\d{12}$/);
    const before = sim.repository('acme-ws', 'repo-0008').bitbucketCloud?.pullRequestComments ?? 0;
    const pull = (await walkCloudPages<{ id: number }>(`${api}/repositories/acme-ws/repo-0008/pullrequests?state=OPEN&state=MERGED&state=DECLINED`, alice())).items[0];
    const res = await fetch(`${hooks}/repos/acme-ws/repo-0008/issues/${pull.id}/comments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ body: 'over HTTP' }) });
    expect(res.status).toBe(201);
    expect(sim.repository('acme-ws', 'repo-0008').bitbucketCloud?.pullRequestComments).toBe(before + 1);
    const stats = (await (await fetch(`${hooks}/stats`)).json()) as { identities: Record<string, { requests: number }> };
    expect(stats.identities[sim.identityOf(sim.tokens['bbc-alice'])].requests).toBeGreaterThan(0);
  });

  it('redirects a download to its bytes on a storage host', async () => {
    const list = await getJson<CloudPage<{ name: string; size: number; links: { self: { href: string } } }>>(`${api}/repositories/acme-ws/repo-0001/downloads`, alice());
    const file = list.body.values[0];
    const redirect = await getJson(file.links.self.href, alice());
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location') ?? '';
    const bytes = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(bytes.length).toBe(file.size);
  });
});

describe('Bitbucket Cloud rolling-hour limit', () => {
  let sim: RunningSimulator;
  let api: string;

  beforeAll(async () => {
    // 3600 simulated seconds last 36 real seconds: nothing ages out during the test.
    sim = await startSimulator({ seed: demoSeed(), timeScale: 100, bitbucketCloud: { repositoriesLimit: 5 } });
    api = sim.bitbucketCloud.apiUrl;
  }, 60_000);
  afterAll(() => sim?.close());
  beforeEach(() => sim.reset());

  it('refuses the API token user exactly when the rolling window holds the limit, without any X-RateLimit header', async () => {
    const auth = basic('bob@example.com', sim.tokens['bbc-bob']);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await getJson(`${api}/repositories/acme-ws/repo-0001`, auth);
      statuses.push(res.status);
      expect([...res.headers.keys()].filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const refused = await getJson<{ error: { message: string } }>(`${api}/repositories/acme-ws/repo-0002`, auth);
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/Rate limit/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('x-ratelimit-remaining')).toBeNull();
    // The rest of the API is another budget; the user's other token shares this one.
    expect((await getJson(`${api}/user`, auth)).status).toBe(200);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, basic('alice@example.com', sim.tokens['bbc-alice']))).status).toBe(200);
    const stats = sim.stats().identities[sim.identityOf(sim.tokens['bbc-bob'])];
    expect(stats).toMatchObject({ requests: 7, refusals: 1 });
    expect(stats.byResource).toMatchObject({ api: 6, core: 1 });
  });

  it('gives access tokens X-RateLimit-Limit, -Resource and -NearLimit, never a remaining count', async () => {
    const auth = `Bearer ${sim.tokens['bbc-workspace-token']}`;
    const near: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await getJson(`${api}/repositories/acme-ws/repo-0001`, auth);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(res.headers.get('x-ratelimit-resource')).toBe('api');
      expect(res.headers.get('x-ratelimit-remaining')).toBeNull();
      near.push(res.headers.get('x-ratelimit-nearlimit') ?? '');
    }
    expect(near).toEqual(['false', 'false', 'false', 'false', 'true']);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, auth)).status).toBe(429);
  });

  it('counts a request sent inside the Retry-After window as a violation', async () => {
    const auth = basic('carol@example.com', sim.tokens['bbc-carol']);
    for (let i = 0; i < 5; i++) await getJson(`${api}/repositories/acme-ws/repo-0001`, auth);
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, auth)).status).toBe(429);
    const identity = sim.identityOf(sim.tokens['bbc-carol']);
    expect(sim.stats().identities[identity].violations).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await getJson(`${api}/repositories/acme-ws/repo-0001`, auth)).status).toBe(429);
    expect(sim.stats().identities[identity]).toMatchObject({ violations: 1, refusals: 2 });
  });
});
