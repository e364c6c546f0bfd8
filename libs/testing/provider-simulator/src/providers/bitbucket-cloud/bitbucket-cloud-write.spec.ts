import { createHash } from 'node:crypto';
import type { SeedConfig } from '../../core/seeding/seed-config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { TestGitClient } from '../../test-support/git-client';
import { basic, getJson, type CloudPage } from './bitbucket-cloud-test-support';

const WRITE_SCOPES = [
  'read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'admin:repository:bitbucket',
  'read:pullrequest:bitbucket', 'write:pullrequest:bitbucket', 'read:issue:bitbucket', 'write:issue:bitbucket',
];

/** Workspace `ws`: owner alice (write API token), member dave (read-only API token), a workspace access token that may write. */
function writeSeed(): SeedConfig {
  return {
    seed: 'bitbucket-cloud-writes',
    users: [],
    organizations: [],
    bitbucketCloud: {
      users: [
        { login: 'alice', tokens: [{ name: 'bbc-alice-writer', scopes: WRITE_SCOPES }, { name: 'bbc-alice-reader' }] },
        { login: 'dave', tokens: [{ name: 'bbc-dave-writer', scopes: WRITE_SCOPES }] },
      ],
      workspaces: [
        {
          slug: 'ws',
          owners: ['alice'],
          members: ['dave'],
          projects: [{ key: 'A' }, { key: 'B' }],
          issueTrackerEvery: 1,
          repositories: [{ name: 'source', lfsObjects: 2, wiki: true, branches: 3, tags: 2, metadata: { issues: 2, pulls: 2, releases: 1, assetsPerRelease: 1 } }],
          accessTokens: [{ name: 'bbc-ws-writer', kind: 'workspace', scopes: ['repository:admin', 'repository:write', 'pullrequest:write'] }],
        },
      ],
    },
  };
}

type Json = Record<string, unknown>;

describe('Bitbucket Cloud simulator writes (what a restore needs)', () => {
  let sim: RunningSimulator;
  let git: TestGitClient;
  let api: string;
  const alice = (): string => basic('alice@example.com', sim.tokens['bbc-alice-writer'] ?? '');
  const gitAuth = (): string[] => ['-c', `http.extraHeader=Authorization: ${basic('x-bitbucket-api-token-auth', sim.tokens['bbc-alice-writer'] ?? '')}`];

  async function send<T = Json>(method: string, url: string, authorization: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(url, { method, headers: { authorization, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  beforeAll(async () => {
    [sim, git] = await Promise.all([startSimulator({ seed: writeSeed() }), TestGitClient.create()]);
    api = sim.bitbucketCloud.apiUrl;
  });
  afterAll(async () => {
    await sim?.close();
    await git?.dispose();
  });

  it('creates an empty repository in a project of the workspace (200, as Bitbucket answers) and refuses what Bitbucket refuses', async () => {
    const created = await send('POST', `${api}/repositories/ws/restored`, alice(), { scm: 'git', is_private: true, project: { key: 'B' }, has_wiki: true, has_issues: true, description: 'Restored' });
    expect(created).toMatchObject({ status: 200, body: { full_name: 'ws/restored', slug: 'restored', is_private: true, has_wiki: true, has_issues: true, project: { key: 'B' } } });
    expect((await send('POST', `${api}/repositories/ws/restored`, alice(), { scm: 'git' })).status).toBe(400);
    const reader = await send<{ error: { message: string; detail: { required: string[] } } }>('POST', `${api}/repositories/ws/nope`, basic('alice@example.com', sim.tokens['bbc-alice-reader'] ?? ''), {});
    expect(reader.status).toBe(403);
    expect(reader.body.error.detail.required).toEqual(['admin:repository:bitbucket']);
    expect((await send('POST', `${api}/repositories/ws/nope`, basic('dave@example.com', sim.tokens['bbc-dave-writer'] ?? ''), {})).status).toBe(403);
    expect((await send('POST', `${api}/repositories/ws/nope`, alice(), { project: { key: 'ZZZ' } })).status).toBe(400);
    expect((await send('POST', `${api}/repositories/ws/token-made`, `Bearer ${sim.tokens['bbc-ws-writer'] ?? ''}`, {})).body).toMatchObject({ project: { key: 'A' }, has_issues: false });
  });

  it('accepts pushes (Basic x-bitbucket-api-token-auth), wiki pushes and LFS uploads, and sets the main branch once it exists', async () => {
    const source = git.path('source.git');
    expect((await git.run([...gitAuth(), 'clone', '--mirror', `${sim.bitbucketCloud.gitUrl}/ws/source.git`, source])).code).toBe(0);
    expect((await git.run([...gitAuth(), '--git-dir', source, 'push', '--mirror', `${sim.bitbucketCloud.gitUrl}/ws/restored.git`])).code).toBe(0);
    expect(sim.repository('ws', 'restored').refs).toEqual(sim.repository('ws', 'source').refs);
    const wiki = git.path('wiki.git');
    expect((await git.run([...gitAuth(), 'clone', '--mirror', `${sim.bitbucketCloud.gitUrl}/ws/source.git/wiki`, wiki])).code).toBe(0);
    expect((await git.run([...gitAuth(), '--git-dir', wiki, 'push', '--mirror', `${sim.bitbucketCloud.gitUrl}/ws/restored.git/wiki`])).code).toBe(0);
    expect(sim.repository('ws', 'restored').wikiRefs).toEqual(sim.repository('ws', 'source').wikiRefs);

    const content = Buffer.from('some large object');
    const oid = createHash('sha256').update(content).digest('hex');
    const batch = await fetch(`${sim.bitbucketCloud.gitUrl}/ws/restored.git/info/lfs/objects/batch`, {
      method: 'POST',
      headers: { authorization: basic('x-bitbucket-api-token-auth', sim.tokens['bbc-alice-writer'] ?? ''), 'content-type': 'application/vnd.git-lfs+json' },
      body: JSON.stringify({ operation: 'upload', objects: [{ oid, size: content.length }] }),
    });
    const action = ((await batch.json()) as { objects: Array<{ actions?: { upload?: { href: string; header: Record<string, string> } } }> }).objects[0]?.actions?.upload;
    expect((await fetch(action?.href ?? '', { method: 'PUT', headers: action?.header, body: content })).status).toBe(200);
    expect(sim.repository('ws', 'restored').lfsOids).toEqual([oid]);

    expect((await send('PUT', `${api}/repositories/ws/restored`, alice(), { mainbranch: { name: 'no-such-branch' } })).status).toBe(400);
    expect((await send('PUT', `${api}/repositories/ws/restored`, alice(), { mainbranch: { name: 'main' } })).body).toMatchObject({ mainbranch: { name: 'main' } });
  });

  it('creates pull requests, declines them, and comments on them (conversation and inline)', async () => {
    const branches = Object.keys(sim.repository('ws', 'restored').refs).filter((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main').map((r) => r.slice(11));
    const pull = await send<Json>('POST', `${api}/repositories/ws/restored/pullrequests`, alice(), {
      title: 'Change', description: 'Body', source: { branch: { name: branches[0] } }, destination: { branch: { name: 'main' } }, draft: true,
    });
    expect(pull).toMatchObject({ status: 201, body: { id: 1, title: 'Change', state: 'OPEN', draft: true, author: { nickname: 'alice' }, source: { branch: { name: branches[0] } } } });
    expect((await send('POST', `${api}/repositories/ws/restored/pullrequests`, alice(), { title: 'x', source: { branch: { name: 'gone' } } })).status).toBe(400);
    expect((await send('POST', `${api}/repositories/ws/restored/pullrequests`, alice(), { source: { branch: { name: branches[0] } } })).status).toBe(400);

    expect((await send('PUT', `${api}/repositories/ws/restored/pullrequests/1`, alice(), { description: 'Edited' })).body).toMatchObject({ description: 'Edited', title: 'Change' });
    const comment = await send('POST', `${api}/repositories/ws/restored/pullrequests/1/comments`, alice(), { content: { raw: 'Looks fine' } });
    expect(comment).toMatchObject({ status: 201, body: { content: { raw: 'Looks fine' }, pullrequest: { id: 1 } } });
    const inline = await send('POST', `${api}/repositories/ws/restored/pullrequests/1/comments`, alice(), { content: { raw: 'Here' }, inline: { path: 'README.md', to: 3 } });
    expect(inline.body).toMatchObject({ inline: { path: 'README.md', to: 3 } });
    expect((await send('POST', `${api}/repositories/ws/restored/pullrequests/1/decline`, alice())).body).toMatchObject({ state: 'DECLINED' });
    expect((await send('POST', `${api}/repositories/ws/restored/pullrequests/1/decline`, alice())).status).toBe(400);
    const listed = await getJson<CloudPage<Json>>(`${api}/repositories/ws/restored/pullrequests?state=DECLINED`, alice());
    expect(listed.body.values.map((p) => p.comment_count)).toEqual([2]);
  });

  it('writes issues and their comments with API tokens only, and only where the issue tracker is on', async () => {
    const issue = await send('POST', `${api}/repositories/ws/restored/issues`, alice(), { title: 'Crash', content: { raw: 'It crashes' }, kind: 'enhancement', priority: 'major' });
    expect(issue).toMatchObject({ status: 201, body: { id: 2, title: 'Crash', kind: 'enhancement', state: 'open', reporter: { nickname: 'alice' } } });
    expect((await send('PUT', `${api}/repositories/ws/restored/issues/2`, alice(), { state: 'resolved' })).body).toMatchObject({ state: 'resolved' });
    expect((await send('POST', `${api}/repositories/ws/restored/issues/2/comments`, alice(), { content: { raw: 'Fixed' } })).status).toBe(201);
    expect((await send('POST', `${api}/repositories/ws/restored/issues`, alice(), { title: 'x', kind: 'feature' })).status).toBe(400);
    const token = await send<{ error: { message: string } }>('POST', `${api}/repositories/ws/restored/issues`, `Bearer ${sim.tokens['bbc-ws-writer'] ?? ''}`, { title: 'x' });
    expect(token.status).toBe(403);
    expect((await send('POST', `${api}/repositories/ws/token-made/issues`, alice(), { title: 'x' })).status).toBe(404);
    expect(sim.repository('ws', 'restored').bitbucketCloud).toMatchObject({ pullRequests: 1, pullRequestComments: 2, issues: 1, issueComments: 1 });
  });

  it('takes download artifacts as multipart files (same name replaces), served like the others', async () => {
    const upload = async (name: string, content: string): Promise<number> => {
      const form = new FormData();
      form.append('files', new Blob([content]), name);
      return (await fetch(`${api}/repositories/ws/restored/downloads`, { method: 'POST', headers: { authorization: alice() }, body: form })).status;
    };
    expect(await upload('tool.tar.gz', 'first')).toBe(201);
    expect(await upload('tool.tar.gz', 'second')).toBe(201);
    const listed = await getJson<CloudPage<{ name: string; size: number }>>(`${api}/repositories/ws/restored/downloads`, alice());
    expect(listed.body.values).toEqual([expect.objectContaining({ name: 'tool.tar.gz', size: 6 })]);
    const redirect = await fetch(`${api}/repositories/ws/restored/downloads/tool.tar.gz`, { headers: { authorization: alice() }, redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(await (await fetch(redirect.headers.get('location') ?? '')).text()).toBe('second');
    expect((await fetch(`${api}/repositories/ws/restored/downloads`, { method: 'POST', headers: { authorization: alice(), 'content-type': 'application/json' }, body: '{}' })).status).toBe(400);
  });

  it('counts writes in the rolling hour of /2.0/repositories like reads', () => {
    const stats = sim.stats().identities[sim.identityOf(sim.tokens['bbc-alice-writer'] ?? '')];
    expect(stats?.byResource.api).toBeGreaterThanOrEqual(18);
  });
});
