import { startSimulator, type RunningSimulator } from '../simulator';
import { authHeaders } from '../test-support/api-client';
import { smallSeed } from '../test-support/small-seed';

describe('/__sim/* hooks over HTTP', () => {
  let sim: RunningSimulator;
  let hooks: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: smallSeed(1) });
    hooks = `${sim.github.baseUrl}/__sim`;
  });
  afterAll(() => sim?.close());

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${hooks}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('reports stats per identity, resets them, and tells base URLs and tokens', async () => {
    await fetch(`${sim.github.baseUrl}/user`, { headers: authHeaders(sim.tokens.alice) });
    const stats = (await (await fetch(`${hooks}/stats`)).json()) as { identities: Record<string, { requests: number; byResource: { core: number } }> };
    expect(stats.identities['github:user:1001']).toMatchObject({ requests: 1, byResource: { core: 1 } });
    expect((await post('/reset', {})).status).toBe(204);
    expect(((await (await fetch(`${hooks}/stats`)).json()) as { identities: object }).identities).toEqual({});
    const info = (await (await fetch(`${hooks}/info`)).json()) as { github: { baseUrl: string }; tokens: Record<string, string> };
    expect(info.github.baseUrl).toBe(sim.github.baseUrl);
    expect(info.tokens).toEqual(sim.tokens);
  });

  it('adds commits, force-pushes and comments upstream', async () => {
    const before = sim.repository('acme', 'public-one').refs['refs/heads/main'];
    const added = await post('/repos/acme/public-one/commits', { branch: 'main', count: 3 });
    expect(added.status).toBe(201);
    const afterAdd = ((await added.json()) as { refs: Record<string, string> }).refs['refs/heads/main'];
    expect(afterAdd).not.toBe(before);
    const forced = (await (await post('/repos/acme/public-one/force-push', { branch: 'main' })).json()) as { oldSha: string; newSha: string };
    expect(forced.oldSha).toBe(afterAdd);
    expect(sim.repository('acme', 'public-one').refs['refs/heads/main']).toBe(forced.newSha);
    expect((await post('/repos/acme/public-one/issues/1/comments', { body: 'from another process' })).status).toBe(201);
    const comments = (await (await fetch(`${sim.github.baseUrl}/repos/acme/public-one/issues/1/comments`, { headers: authHeaders(sim.tokens.alice) })).json()) as Array<{ body: string }>;
    expect(comments.at(-1)?.body).toBe('from another process');
    expect((await post('/repos/acme/public-one/issues/999/comments', { body: 'x' })).status).toBe(422);
    expect((await post('/repos/acme/public-one/commits', { branch: 'main', count: 0 })).status).toBe(422);
  });

  it('adds and deletes repositories during a test', async () => {
    const created = await post('/repos/acme', { name: 'added-later', private: true, lfsObjects: 1, wiki: true });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { lfsOids: string[] }).lfsOids).toHaveLength(1);
    expect((await (await fetch(`${hooks}/repos/acme`)).json()) as string[]).toContain('added-later');
    const visible = await fetch(`${sim.github.baseUrl}/repos/acme/added-later`, { headers: authHeaders(sim.tokens.bob) });
    expect(visible.status).toBe(200);
    expect((await post('/repos/acme', { name: 'added-later' })).status).toBe(422);
    expect((await post('/repos/nobody', { name: 'x' })).status).toBe(404);
    expect((await post('/repos/acme', { name: 'bad name!' })).status).toBe(422);

    expect((await fetch(`${hooks}/repos/acme/added-later`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${sim.github.baseUrl}/repos/acme/added-later`, { headers: authHeaders(sim.tokens.alice) })).status).toBe(404);
    expect((await fetch(`${hooks}/repos/acme/added-later`)).status).toBe(404);
    expect((await fetch(`${hooks}/nothing-here`)).status).toBe(404);
  });
});
