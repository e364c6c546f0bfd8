import { createPrivateKey, sign } from 'node:crypto';
import { startSimulator, type RunningSimulator } from '../../simulator';

function jwt(privateKeyPem: string, claims: Record<string, unknown>, alg = 'RS256'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${sign('RSA-SHA256', Buffer.from(unsigned), createPrivateKey(privateKeyPem)).toString('base64url')}`;
}

describe('GitHub Apps on the simulated GitHub', () => {
  let sim: RunningSimulator;
  const now = () => Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        seed: 'github-apps',
        users: [{ login: 'alice' }, { login: 'bob' }],
        organizations: [
          { login: 'acme', owners: ['alice'], members: ['bob'], repositories: [{ name: 'secret', private: true }] },
          { login: 'other', owners: ['bob'], repositories: [{ name: 'hidden', private: true }] },
        ],
      },
      githubApps: { apps: [{ slug: 'rv', name: 'RepoVault', setupUrl: 'https://rv.example.com/v1/github-apps/callback' }], installationTokenSeconds: 1 },
    });
  }, 60_000);

  afterAll(() => sim?.close());

  const app = () => sim.githubApps.app('rv');
  const call = (token: string, path = '/app', method = 'GET') => fetch(`${sim.github.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const choose = (login: string, target: string) =>
    fetch(`${sim.github.baseUrl}/apps/rv/installations/new`, { method: 'POST', body: new URLSearchParams({ state: 'st', login, target }), redirect: 'manual' });

  it('accepts a JWT signed RS256 with the app key, iat in the past and at most ten minutes of life', async () => {
    expect((await call(jwt(app().privateKeyPem, { iat: now() - 60, exp: now() + 540, iss: app().id }))).status).toBe(200);
    expect((await call(jwt(app().privateKeyPem, { iat: now() - 60, exp: now() + 540, iss: String(app().id) }), '/api/v3/app')).status).toBe(200);
  });

  it.each([
    ['expired', () => ({ iat: now() - 700, exp: now() - 100, iss: app().id }), undefined, /'exp'/],
    ['living longer than ten minutes', () => ({ iat: now() - 30, exp: now() + 900, iss: app().id }), undefined, /too far in the future/],
    ['issued in the future', () => ({ iat: now() + 300, exp: now() + 500, iss: app().id }), undefined, /'iat'/],
    ['of an unknown app', () => ({ iat: now() - 30, exp: now() + 500, iss: 424242 }), undefined, /Integration not found/],
    ['not RS256', () => ({ iat: now() - 30, exp: now() + 500, iss: app().id }), 'HS256', /RS256/],
  ])('refuses a JWT %s', async (_label, claims, alg, message) => {
    const response = await call(jwt(app().privateKeyPem, claims(), alg));
    expect(response.status).toBe(401);
    expect(((await response.json()) as { message: string }).message).toMatch(message);
  });

  it('installs for an owner and redirects to the setup URL with the installation and the state', async () => {
    const answer = await choose('alice', 'acme');
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe('https://rv.example.com/v1/github-apps/callback');
    expect(location.searchParams.get('setup_action')).toBe('install');
    expect(location.searchParams.get('state')).toBe('st');
    expect(Number(location.searchParams.get('installation_id'))).toBeGreaterThan(0);
  });

  it('turns an install by a member into a request (approval required): no installation', async () => {
    const page = await fetch(`${sim.github.baseUrl}/apps/rv/installations/new`, { method: 'POST', body: new URLSearchParams({ state: 'st', login: 'bob' }) });
    const html = await page.text();
    expect(html).toMatch(/id="request-acme"/);
    expect(html).toMatch(/id="install-other"/);
    const answer = await choose('bob', 'acme');
    const location = new URL(answer.headers.get('location') ?? '');
    expect(location.searchParams.get('setup_action')).toBe('request');
    expect(location.searchParams.get('installation_id')).toBeNull();
    expect(sim.githubApps.stats().requests).toEqual([expect.objectContaining({ account: 'acme', requester: 'bob' })]);
  });

  it("mints tokens that read only the installation's account and stop working when they expire", async () => {
    const installation = Number(new URL((await choose('alice', 'acme')).headers.get('location') ?? '').searchParams.get('installation_id'));
    const token = await call(jwt(app().privateKeyPem, { iat: now() - 60, exp: now() + 540, iss: app().id }), `/app/installations/${installation}/access_tokens`, 'POST');
    expect(token.status).toBe(201);
    const { token: value, expires_at: expiresAt } = (await token.json()) as { token: string; expires_at: string };
    expect(expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const mine = await fetch(`${sim.github.baseUrl}/repos/acme/secret`, { headers: { authorization: `token ${value}` } });
    expect(mine.status).toBe(200);
    expect((await fetch(`${sim.github.baseUrl}/repos/other/hidden`, { headers: { authorization: `token ${value}` } })).status).toBe(404);
    await new Promise((r) => setTimeout(r, Date.parse(expiresAt) - Date.now() + 50));
    expect((await fetch(`${sim.github.baseUrl}/repos/acme/secret`, { headers: { authorization: `token ${value}` } })).status).toBe(401);
  });
});
