import { createHash } from 'node:crypto';
import type { SeedConfig } from '../../core/seeding/seed-config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';

/** Project ENG: admin alice (a PROJECT_ADMIN token and a read-only one), member bob (read), a project token that may write. */
function writeSeed(): SeedConfig {
  return {
    seed: 'bitbucket-dc-writes',
    users: [],
    organizations: [],
    bitbucketDc: {
      users: [
        { login: 'alice', tokens: [{ name: 'bbdc-alice-admin', permissions: ['PROJECT_ADMIN', 'REPO_ADMIN'] }, { name: 'bbdc-alice-reader' }] },
        { login: 'bob', tokens: [{ name: 'bbdc-bob-writer', permissions: ['PROJECT_WRITE', 'REPO_WRITE'] }] },
      ],
      projects: [
        {
          key: 'ENG',
          owners: ['alice'],
          members: ['bob'],
          repositories: [{ name: 'source', lfsObjects: 1, branches: 3, tags: 2, metadata: { pulls: 3, issues: 0 } }],
          accessTokens: [{ name: 'bbdc-eng-writer', kind: 'project', permissions: ['PROJECT_WRITE', 'REPO_WRITE'] }],
        },
      ],
    },
  };
}

type Json = Record<string, unknown>;

describe('Bitbucket Data Center simulator writes (what a restore needs)', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  let api: string;
  const bearer = (name: string): string => `Bearer ${sim.tokens[name] ?? ''}`;
  const gitAuth = (name: string): string[] => ['-c', `http.extraHeader=Authorization: ${bearer(name)}`];

  async function send<T = Json>(method: string, url: string, authorization: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(url, { method, headers: { authorization, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: writeSeed() }), TestGitClient.create()]);
    api = `${sim.bitbucketDc.baseUrl}/rest/api/latest`;
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  it('creates an empty repository for PROJECT_WRITE (201), and refuses names taken, readers and bad names', async () => {
    const created = await send('POST', `${api}/projects/ENG/repos`, bearer('bbdc-eng-writer'), { name: 'Restored', scmId: 'git' });
    expect(created).toMatchObject({ status: 201, body: { slug: 'restored', name: 'restored', scmId: 'git', project: { key: 'ENG' } } });
    expect((await send('POST', `${api}/projects/ENG/repos`, bearer('bbdc-alice-admin'), { name: 'restored' })).status).toBe(409);
    expect((await send('POST', `${api}/projects/ENG/repos`, bearer('bbdc-alice-reader'), { name: 'other' })).status).toBe(401);
    expect((await send('POST', `${api}/projects/ENG/repos`, bearer('bbdc-bob-writer'), { name: 'other' })).status).toBe(401);
    expect((await send('POST', `${api}/projects/ENG/repos`, bearer('bbdc-alice-admin'), { name: '-bad/name' })).status).toBe(400);
    expect((await send('POST', `${api}/projects/NOPE/repos`, bearer('bbdc-alice-admin'), { name: 'x' })).status).toBe(404);
    expect((await send('GET', `${api}/projects/ENG/repos/restored/default-branch`, bearer('bbdc-alice-admin'))).status).toBe(404);
  });

  it('takes pushes with a Bearer header (refusing its pull request refs), LFS uploads, and a default branch (REPO_ADMIN)', async () => {
    const source = git.path('source.git');
    expect((await git.run([...gitAuth('bbdc-alice-admin'), 'clone', '--mirror', `${sim.bitbucketDc.baseUrl}/scm/eng/source.git`, source])).code).toBe(0);
    const target = `${sim.bitbucketDc.baseUrl}/scm/eng/restored.git`;
    const refused = await git.run([...gitAuth('bbdc-eng-writer'), '--git-dir', source, 'push', target, 'refs/pull-requests/*:refs/pull-requests/*']);
    expect(refused.stderr).toContain('hidden ref');
    expect((await git.run([...gitAuth('bbdc-eng-writer'), '--git-dir', source, 'push', target, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*'])).code).toBe(0);
    const withoutPullRefs = Object.fromEntries(Object.entries(sim.repository('ENG', 'source').refs).filter(([r]) => !r.startsWith('refs/pull-requests/')));
    expect(sim.repository('ENG', 'restored').refs).toEqual(withoutPullRefs);
    expect((await git.run([...gitAuth('bbdc-alice-reader'), '--git-dir', source, 'push', target, 'refs/heads/main:refs/heads/copy'])).code).not.toBe(0);

    const content = Buffer.from('a large object');
    const oid = createHash('sha256').update(content).digest('hex');
    const batch = await fetch(`${target}/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: bearer('bbdc-eng-writer'), 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', objects: [{ oid, size: content.length }] }),
    });
    const action = ((await batch.json()) as { objects: Array<{ actions?: { upload?: { href: string; header: Record<string, string> } } }> }).objects[0]?.actions?.upload;
    expect((await fetch(action?.href ?? '', { method: 'PUT', headers: action?.header, body: content })).status).toBe(200);
    expect(sim.repository('ENG', 'restored').lfsOids).toEqual([oid]);

    expect((await send('PUT', `${api}/projects/ENG/repos/restored/default-branch`, bearer('bbdc-eng-writer'), { id: 'refs/heads/main' })).status).toBe(401);
    expect((await send('PUT', `${api}/projects/ENG/repos/restored/default-branch`, bearer('bbdc-alice-admin'), { id: 'refs/heads/main' })).status).toBe(204);
    expect((await send('GET', `${api}/projects/ENG/repos/restored/default-branch`, bearer('bbdc-alice-admin'))).body).toMatchObject({ id: 'refs/heads/main', isDefault: true });
  });

  it('opens pull requests (refusing duplicates and empty ones), declines them at their version, and takes comments', async () => {
    const branches = Object.keys(sim.repository('ENG', 'restored').refs).filter((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main');
    const ref = (id: string) => ({ id, repository: { slug: 'restored', project: { key: 'ENG' } } });
    const pull = await send('POST', `${api}/projects/ENG/repos/restored/pull-requests`, bearer('bbdc-alice-reader'), { title: 'Change', description: 'Body', fromRef: ref(branches[0] ?? ''), toRef: ref('refs/heads/main') });
    expect(pull).toMatchObject({ status: 201, body: { id: 1, title: 'Change', state: 'OPEN', version: 0, author: { user: { name: 'alice' } } } });
    expect(sim.repository('ENG', 'restored').refs['refs/pull-requests/1/from']).toBe(sim.repository('ENG', 'restored').refs[branches[0] ?? '']);
    const duplicate = await send<{ errors: Json[] }>('POST', `${api}/projects/ENG/repos/restored/pull-requests`, bearer('bbdc-alice-reader'), { title: 'Again', fromRef: ref(branches[0] ?? ''), toRef: ref('refs/heads/main') });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0]?.exceptionName).toBe('com.atlassian.bitbucket.pull.DuplicatePullRequestException');
    // a branch whose commits are all on main already makes an empty pull request
    const source = git.path('source.git');
    const parent = (await git.run(['--git-dir', source, 'rev-parse', 'refs/heads/main~1'])).stdout.trim();
    expect((await git.run([...gitAuth('bbdc-eng-writer'), '--git-dir', source, 'push', `${sim.bitbucketDc.baseUrl}/scm/eng/restored.git`, `${parent}:refs/heads/merged-already`])).code).toBe(0);
    const empty = await send<{ errors: Json[] }>('POST', `${api}/projects/ENG/repos/restored/pull-requests`, bearer('bbdc-alice-reader'), { title: 'Empty', fromRef: ref('refs/heads/merged-already'), toRef: ref('refs/heads/main') });
    expect(empty.body.errors[0]?.exceptionName).toBe('com.atlassian.bitbucket.pull.EmptyPullRequestException');
    expect((await send('POST', `${api}/projects/ENG/repos/restored/pull-requests`, bearer('bbdc-alice-reader'), { title: 'x', fromRef: ref('refs/heads/gone'), toRef: ref('refs/heads/main') })).status).toBe(404);

    const general = await send('POST', `${api}/projects/ENG/repos/restored/pull-requests/1/comments`, bearer('bbdc-alice-reader'), { text: 'Looks fine' });
    expect(general).toMatchObject({ status: 201, body: { text: 'Looks fine', author: { name: 'alice' } } });
    const anchored = await send('POST', `${api}/projects/ENG/repos/restored/pull-requests/1/comments`, bearer('bbdc-alice-reader'), { text: 'Here', anchor: { path: 'README.md', line: 2, lineType: 'ADDED', fileType: 'TO', diffType: 'EFFECTIVE' } });
    expect(anchored.body).toMatchObject({ anchor: { path: 'README.md', line: 2 } });
    const reply = await send('POST', `${api}/projects/ENG/repos/restored/pull-requests/1/comments`, bearer('bbdc-alice-reader'), { text: 'Agreed', parent: { id: general.body.id } });
    expect(reply.status).toBe(201);
    expect((await send('POST', `${api}/projects/ENG/repos/restored/pull-requests/1/comments`, bearer('bbdc-alice-reader'), { text: 'x', parent: { id: 1 } })).status).toBe(404);
    const activities = await send<{ values: Array<{ action: string; comment?: { text: string; comments: Json[] } }> }>('GET', `${api}/projects/ENG/repos/restored/pull-requests/1/activities`, bearer('bbdc-alice-reader'));
    const thread = activities.body.values.find((a) => a.comment?.text === 'Looks fine');
    expect(thread?.comment?.comments).toEqual([expect.objectContaining({ text: 'Agreed' })]);
    expect(activities.body.values.filter((a) => a.action === 'COMMENTED')).toHaveLength(2);
    expect((await send('PUT', `${api}/projects/ENG/repos/restored/pull-requests/1`, bearer('bbdc-alice-reader'), { version: 0, description: 'Edited' })).body).toMatchObject({ description: 'Edited', title: 'Change' });
    expect((await send('POST', `${api}/projects/ENG/repos/restored/pull-requests/1/decline?version=3`, bearer('bbdc-alice-reader'), {})).status).toBe(409);
    expect((await send('POST', `${api}/projects/ENG/repos/restored/pull-requests/1/decline?version=0`, bearer('bbdc-alice-reader'), {})).body).toMatchObject({ state: 'DECLINED' });
    expect((await send('GET', `${api}/projects/ENG/repos/restored/pull-requests/1`, bearer('bbdc-alice-reader'))).body).toMatchObject({ state: 'DECLINED', properties: { commentCount: 2 } });
    expect(sim.repository('ENG', 'restored').bitbucketDc).toMatchObject({ pullRequests: 1, comments: 2 });
  });

  it('takes a token from the same bucket for every write', () => {
    const alice = sim.stats().identities[sim.identityOf(sim.tokens['bbdc-alice-reader'] ?? '')];
    expect(alice?.byResource.core).toBeGreaterThanOrEqual(8);
  });
});
