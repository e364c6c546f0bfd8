import { createHash } from 'node:crypto';
import type { SeedConfig } from '../../core/seeding/seed-config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';

/** Project PRJ (23 repositories), project OTHER, tokens of every kind. */
function dcSeed(): SeedConfig {
  return {
    seed: 'bitbucket-dc',
    users: [],
    organizations: [],
    bitbucketDc: {
      users: [
        { login: 'alice', tokens: [{ name: 'bbdc-alice' }, { name: 'bbdc-alice-2' }] },
        { login: 'bob', tokens: [{ name: 'bbdc-bob' }] },
        { login: 'mallory', tokens: [{ name: 'bbdc-mallory' }] },
      ],
      projects: [
        {
          key: 'PRJ',
          name: 'Project',
          owners: ['alice'],
          members: ['bob'],
          repositories: [{ name: 'lfs-repo', lfsObjects: 3, branches: 2, metadata: { pulls: 2 } }],
          generate: { count: 22, namePrefix: 'svc' },
          accessTokens: [
            { name: 'bbdc-project-prj', kind: 'project' },
            { name: 'bbdc-repo-lfs', kind: 'repository', repository: 'lfs-repo' },
          ],
        },
        { key: 'OTHER', owners: ['mallory'], repositories: [{ name: 'secret' }] },
      ],
    },
  };
}

interface Page<T> {
  size: number;
  limit: number;
  start: number;
  isLastPage: boolean;
  nextPageStart?: number;
  values: T[];
}

const basic = (user: string, token: string): string => `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`;

async function get<T>(url: string, authorization?: string): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url, { headers: authorization ? { authorization } : {} });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** Pages through with `start`/`limit`, continuing from `nextPageStart` until `isLastPage`. */
async function walk<T>(url: string, authorization: string, limit: number): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let start = 0;
  let pages = 0;
  for (;;) {
    const page = await get<Page<T>>(`${url}${url.includes('?') ? '&' : '?'}start=${start}&limit=${limit}`, authorization);
    if (page.status !== 200) throw new Error(`${url} answered ${page.status}`);
    pages++;
    items.push(...page.body.values);
    if (page.body.isLastPage) return { items, pages };
    start = page.body.nextPageStart ?? start + limit;
  }
}

describe('Bitbucket Data Center REST API', () => {
  let sim: RunningSimulator;
  let api: string;
  const bearer = (name: string): string => `Bearer ${sim.tokens[name]}`;

  beforeAll(async () => {
    sim = await startSimulator({ seed: dcSeed() });
    api = `${sim.bitbucketDc.baseUrl}/rest/api/latest`;
  });
  afterAll(() => sim?.close());

  it('pages repositories with start/limit until isLastPage, continuing from nextPageStart', async () => {
    const first = await get<Page<{ slug: string }>>(`${api}/projects/PRJ/repos?limit=7`, bearer('bbdc-alice'));
    expect(first.body).toMatchObject({ size: 7, limit: 7, start: 0, isLastPage: false, nextPageStart: 7 });
    const walked = await walk<{ slug: string; links: { clone: Array<{ name: string; href: string }> } }>(`${api}/projects/PRJ/repos`, bearer('bbdc-alice'), 7);
    expect(walked.pages).toBe(4);
    expect(walked.items.map((r) => r.slug)).toEqual(sim.listRepositories('PRJ'));
    expect(walked.items[0].links.clone.find((c) => c.name === 'http')?.href).toBe(`${sim.bitbucketDc.baseUrl.replace('//', '//alice@')}/scm/prj/lfs-repo.git`);
    const last = await get<Page<unknown>>(`${api}/projects/PRJ/repos?start=21&limit=7`, bearer('bbdc-alice'));
    expect(last.body).toMatchObject({ size: 2, isLastPage: true });
    expect(last.body.nextPageStart).toBeUndefined();
    expect((await get(`${sim.bitbucketDc.baseUrl}/rest/api/1.0/projects/PRJ`, bearer('bbdc-alice'))).status).toBe(200);
  });

  it('says who the caller is in X-AUSERNAME / X-AUSERID, and serves users/{userSlug}', async () => {
    const res = await get<{ key: string }>(`${api}/projects/PRJ`, bearer('bbdc-alice'));
    expect(res.headers.get('x-ausername')).toBe('alice');
    const user = await get<{ slug: string; id: number; type: string }>(`${api}/users/alice`, bearer('bbdc-alice'));
    expect(user.body).toMatchObject({ slug: 'alice', type: 'NORMAL', id: Number(res.headers.get('x-auserid')) });
    const bot = await get(`${api}/projects/PRJ`, bearer('bbdc-project-prj'));
    const botName = bot.headers.get('x-ausername') ?? '';
    expect(botName).toMatch(/^bot-\d{12}$/);
    expect((await get<{ type: string }>(`${api}/users/${botName}`, bearer('bbdc-project-prj'))).body.type).toBe('SERVICE');
    expect((await get(`${api}/users/${botName}`, bearer('bbdc-alice'))).status).toBe(404);
  });

  it('takes personal tokens as Bearer or as the password of their user; project and repository tokens as Bearer only', async () => {
    expect((await get(`${api}/projects/PRJ`, basic('alice', sim.tokens['bbdc-alice']))).status).toBe(200);
    expect((await get(`${api}/projects/PRJ`, basic('bob', sim.tokens['bbdc-alice']))).status).toBe(401);
    expect((await get(`${api}/projects/PRJ`, basic('x-token-auth', sim.tokens['bbdc-project-prj']))).status).toBe(401);
    expect((await get(`${api}/projects/PRJ`, 'Bearer BBDC-wrong'))).toMatchObject({ status: 401 });
    expect(sim.tokens['bbdc-alice']).toMatch(/^BBDC-/);
    expect(Buffer.from(sim.tokens['bbdc-alice'].slice(5), 'base64').toString('latin1')).toMatch(/^\d{12}:/);
  });

  it('counts personal tokens of one user as that user, and project and repository tokens as themselves', () => {
    expect(sim.identityOf(sim.tokens['bbdc-alice'])).toBe('bitbucket-dc:user:alice');
    expect(sim.identityOf(sim.tokens['bbdc-alice-2'])).toBe('bitbucket-dc:user:alice');
    expect(sim.identityOf(sim.tokens['bbdc-project-prj'])).toMatch(/^bitbucket-dc:token:\d{12}$/);
    expect(sim.identityOf(sim.tokens['bbdc-repo-lfs'])).not.toBe(sim.identityOf(sim.tokens['bbdc-project-prj']));
  });

  it('lets a repository token see its repository only, without project read', async () => {
    const repos = await walk<{ slug: string }>(`${api}/projects/PRJ/repos`, bearer('bbdc-repo-lfs'), 25);
    expect(repos.items.map((r) => r.slug)).toEqual(['lfs-repo']);
    expect((await get(`${api}/projects/PRJ`, bearer('bbdc-repo-lfs'))).status).toBe(200);
    const readable = await get<Page<{ key: string }>>(`${api}/projects?permission=PROJECT_READ`, bearer('bbdc-repo-lfs'));
    expect(readable.body.values).toEqual([]);
    expect((await get<Page<{ key: string }>>(`${api}/projects?permission=PROJECT_READ`, bearer('bbdc-project-prj'))).body.values.map((p) => p.key)).toEqual(['PRJ']);
    expect((await get(`${api}/projects/PRJ/repos/svc-0001`, bearer('bbdc-repo-lfs'))).status).toBe(404);
    expect((await get(`${api}/projects/OTHER`, bearer('bbdc-alice'))).status).toBe(404);
    expect((await get(`${api}/projects/PRJ/repos/lfs-repo`, bearer('bbdc-mallory'))).status).toBe(404);
  });

  it('serves pull requests (state=ALL), their activities and tags as the summary counts them', async () => {
    const counts = sim.repository('PRJ', 'lfs-repo').bitbucketDc;
    const base = `${api}/projects/PRJ/repos/lfs-repo`;
    const open = await walk<{ state: string }>(`${base}/pull-requests`, bearer('bbdc-bob'), 25);
    expect(open.items.every((p) => p.state === 'OPEN')).toBe(true);
    const pulls = await walk<{ id: number; state: string; fromRef: { id: string } }>(`${base}/pull-requests?state=ALL`, bearer('bbdc-bob'), 1);
    expect(pulls.items.length).toBe(counts?.pullRequests);
    const activities: Array<{ action: string }> = [];
    for (const pull of pulls.items) activities.push(...(await walk<{ action: string }>(`${base}/pull-requests/${pull.id}/activities`, bearer('bbdc-bob'), 3)).items);
    expect(activities.length).toBe(counts?.activities);
    expect(activities.filter((a) => a.action === 'COMMENTED').length).toBe(counts?.comments);
    expect(activities.filter((a) => a.action === 'OPENED').length).toBe(counts?.pullRequests);
    expect((await walk(`${base}/tags`, bearer('bbdc-bob'), 25)).items.length).toBe(counts?.tags);
    expect(Object.keys(sim.repository('PRJ', 'lfs-repo').refs).filter((r) => r.startsWith('refs/pull-requests/')).sort()).toEqual(pulls.items.map((p) => `refs/pull-requests/${p.id}/from`).sort());
  });
});

describe('Bitbucket Data Center token bucket and git', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  let api: string;

  beforeAll(async () => {
    // 5 tokens, refilled at 1 per simulated second = 1 per 10 real seconds: nothing refills during a test.
    [sim, git] = await Promise.all([startSimulator({ seed: dcSeed(), timeScale: 0.1, bitbucketDc: { capacity: 5, refillPerSecond: 1 } }), TestGitClient.create()]);
    api = `${sim.bitbucketDc.baseUrl}/rest/api/latest`;
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });
  beforeEach(() => sim.reset());

  const remote = (key: string, slug: string): string => `${sim.bitbucketDc.baseUrl}/scm/${key.toLowerCase()}/${slug}.git`;

  it('sends the bucket headers and refuses with 429 and Retry-After when it is empty', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await get(`${api}/projects/PRJ`, `Bearer ${sim.tokens['bbdc-bob']}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-limit')).toBe('5');
      expect(res.headers.get('x-ratelimit-interval-seconds')).toBe('1');
      expect(res.headers.get('x-ratelimit-fillrate')).toBe('0.1');
      remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const refused = await get(`${api}/projects/PRJ`, `Bearer ${sim.tokens['bbdc-bob']}`);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(10);
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(sim.stats().identities['bitbucket-dc:user:bob']).toMatchObject({ requests: 6, refusals: 1, violations: 0 });
  });

  it('draws git requests from the same bucket as REST', async () => {
    const before = await get(`${api}/projects/PRJ`, `Bearer ${sim.tokens['bbdc-alice']}`);
    expect(before.headers.get('x-ratelimit-remaining')).toBe('4');
    const res = await fetch(`${remote('PRJ', 'svc-0001')}/info/refs?service=git-upload-pack`, { headers: { authorization: `Bearer ${sim.tokens['bbdc-alice-2']}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-ratelimit-remaining')).toBe('3');
    await res.arrayBuffer();
    expect((await get(`${api}/projects/PRJ`, `Bearer ${sim.tokens['bbdc-alice']}`)).headers.get('x-ratelimit-remaining')).toBe('2');
    // A clone (ref advertisement, ls-refs, fetch) needs more requests than the 2 tokens left: it is refused part-way.
    const clone = await git.run(['clone', '--mirror', remote('PRJ', 'svc-0002'), git.path('refused.git')], { askpass: { username: 'alice', token: sim.tokens['bbdc-alice'] } });
    expect(clone.code).not.toBe(0);
    expect(clone.stderr).toMatch(/429/);
    const stats = sim.stats().identities['bitbucket-dc:user:alice'];
    expect(stats.byResource.core).toBe(2);
    expect(stats.byResource.git).toBe(4);
    expect(stats.refusals).toBeGreaterThanOrEqual(1);
  });

  it('counts a request inside the Retry-After window as a violation', async () => {
    for (let i = 0; i < 5; i++) await get(`${api}/projects/PRJ`, `Bearer ${sim.tokens['bbdc-project-prj']}`);
    expect((await get(`${api}/projects/PRJ`, `Bearer ${sim.tokens['bbdc-project-prj']}`)).status).toBe(429);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await fetch(`${remote('PRJ', 'svc-0001')}/info/refs?service=git-upload-pack`, { headers: { authorization: `Bearer ${sim.tokens['bbdc-project-prj']}` } })).status).toBe(429);
    expect(sim.stats().identities[sim.identityOf(sim.tokens['bbdc-project-prj'])]).toMatchObject({ refusals: 2, violations: 1 });
  });
});

describe('Bitbucket Data Center git at /scm/{key}/{slug}.git', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  const remote = (slug: string): string => `${sim.bitbucketDc.baseUrl}/scm/prj/${slug}.git`;

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: dcSeed() }), TestGitClient.create()]);
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  it('clones --mirror with a personal token as the password of its user: exactly the seeded refs, pull request refs included', async () => {
    const target = git.path('personal.git');
    expect((await git.run(['clone', '--mirror', remote('lfs-repo'), target], { askpass: { username: 'alice', token: sim.tokens['bbdc-alice'] } })).code).toBe(0);
    const summary = sim.repository('PRJ', 'lfs-repo');
    expect(Object.keys(summary.refs).some((r) => /^refs\/pull-requests\/\d+\/from$/.test(r))).toBe(true);
    expect(await git.refs(target)).toEqual(summary.refs);
  });

  it('clones with project and repository tokens through http.extraHeader Bearer only', async () => {
    for (const name of ['bbdc-project-prj', 'bbdc-repo-lfs']) {
      const target = git.path(`${name}.git`);
      const result = await git.run(['-c', `http.extraHeader=Authorization: Bearer ${sim.tokens[name]}`, 'clone', '--mirror', remote('lfs-repo'), target]);
      expect(result.code).toBe(0);
      expect(await git.refs(target)).toEqual(sim.repository('PRJ', 'lfs-repo').refs);
      const basicAttempt = await git.run(['clone', '--mirror', remote('lfs-repo'), git.path(`${name}-basic.git`)], { askpass: { username: 'x-token-auth', token: sim.tokens[name] } });
      expect(basicAttempt.code).not.toBe(0);
      expect(basicAttempt.stderr).toMatch(/Authentication failed/);
    }
    const outside = await git.run(['-c', `http.extraHeader=Authorization: Bearer ${sim.tokens['bbdc-repo-lfs']}`, 'clone', '--mirror', remote('svc-0001'), git.path('outside.git')]);
    expect(outside.code).not.toBe(0);
  });

  it('fails with a wrong token', async () => {
    const wrong = await git.run(['-c', 'http.extraHeader=Authorization: Bearer BBDC-nope', 'clone', '--mirror', remote('lfs-repo'), git.path('wrong.git')]);
    expect(wrong.code).not.toBe(0);
    expect(sim.stats().authFailures['bitbucket-dc']).toBeGreaterThanOrEqual(1);
  });

  it('serves exactly the LFS objects the pointer files name, each transfer drawing from the bucket', async () => {
    const target = git.path('personal.git');
    const tree = await git.run(['--git-dir', target, 'ls-tree', '-r', 'refs/heads/main']);
    const objects: Array<{ oid: string; size: number }> = [];
    for (const blob of tree.stdout.split('\n').filter((l) => l.endsWith('.bin')).map((l) => l.split(/\s+/)[2])) {
      const text = (await git.run(['--git-dir', target, 'cat-file', 'blob', blob])).stdout;
      objects.push({ oid: /oid sha256:([0-9a-f]{64})/.exec(text)?.[1] ?? '', size: Number(/size (\d+)/.exec(text)?.[1]) });
    }
    expect(objects.map((o) => o.oid).sort()).toEqual(sim.repository('PRJ', 'lfs-repo').lfsOids);
    const res = await fetch(`${remote('lfs-repo')}/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.tokens['bbdc-repo-lfs']}`, 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'download', objects }),
    });
    const batch = (await res.json()) as { objects: Array<{ oid: string; actions: { download: { href: string; header: Record<string, string> } } }> };
    let remaining = Number(res.headers.get('x-ratelimit-remaining'));
    for (const object of batch.objects) {
      const download = await fetch(object.actions.download.href, { headers: object.actions.download.header });
      expect(Number(download.headers.get('x-ratelimit-remaining'))).toBeLessThan(remaining + 1);
      remaining = Number(download.headers.get('x-ratelimit-remaining'));
      expect(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex')).toBe(object.oid);
    }
    expect(sim.stats().identities[sim.identityOf(sim.tokens['bbdc-repo-lfs'])].byResource.lfs).toBe(4);
  });
});
