import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { generateKeyPairSync } from 'node:crypto';
import { GitHubAppClient, githubInstallationIdentityKey } from '../src';

/** Installs the app on `account` as `login` through the simulator's installation page. */
async function installThroughPage(sim: RunningSimulator, slug: string, login: string, account: string): Promise<number> {
  const form = new URLSearchParams({ state: 's', login, target: account });
  const answer = await fetch(`${sim.github.baseUrl}/apps/${slug}/installations/new`, { method: 'POST', body: form, redirect: 'manual' });
  const location = new URL(answer.headers.get('location') ?? '');
  return Number(location.searchParams.get('installation_id'));
}

describe('GitHubAppClient (@octokit/app) against the simulated GitHub', () => {
  let sim: RunningSimulator;
  let installationId: number;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: { seed: 'app-client', users: [{ login: 'alice' }], organizations: [{ login: 'acme', owners: ['alice'], repositories: [{ name: 'private-one', private: true }, { name: 'public-one' }] }] },
      githubApps: { apps: [{ slug: 'rv-backup', name: 'RepoVault' }] },
    });
    sim.githubApps.setSetupUrl('rv-backup', 'https://repovault.example.com/v1/github-apps/callback');
    installationId = await installThroughPage(sim, 'rv-backup', 'alice', 'acme');
  }, 60_000);

  afterAll(() => sim?.close());

  function client(renewAt: (issuedAt: number, expiresAt: number) => number, privateKey = sim.githubApps.app('rv-backup').privateKeyPem): GitHubAppClient {
    return new GitHubAppClient({ appId: sim.githubApps.app('rv-backup').id, privateKey, apiBaseUrl: sim.github.baseUrl, fetch: (url, init) => fetch(url, init), renewAt });
  }

  it('answers the installation URL with the state, from GET /app', async () => {
    await expect(client((_, e) => e).installationUrl('abc.def')).resolves.toBe(`${sim.github.baseUrl}/apps/rv-backup/installations/new?state=abc.def`);
  });

  it('describes an installation: its account and permissions', async () => {
    await expect(client((_, e) => e).installation(installationId)).resolves.toMatchObject({
      id: installationId, account: { login: 'acme', type: 'Organization' }, permissions: { contents: 'read' }, suspendedAt: null,
    });
  });

  it("mints installation tokens that read the installation's repositories, on the installation's own budget", async () => {
    const { token, expiresAt, issuedAt } = await client((_, e) => e).installationToken(installationId);
    expect(token).toMatch(/^ghs_/);
    expect(expiresAt - issuedAt).toBeGreaterThan(3_500_000);
    const repos = await fetch(`${sim.github.baseUrl}/orgs/acme/repos`, { headers: { authorization: `token ${token}` } });
    expect(((await repos.json()) as { name: string }[]).map((r) => r.name).sort()).toEqual(['private-one', 'public-one']);
    expect(repos.headers.get('x-oauth-scopes')).toBeNull();
    expect(sim.stats().identities[`github:installation:${installationId}`]?.requests).toBe(1);
    expect(githubInstallationIdentityKey('api.github.com', installationId)).toBe(`github:api.github.com:installation:${installationId}`);
  });

  it('keeps a token while it is fresh and mints a new one once it is due', async () => {
    const minted = () => sim.githubApps.stats().tokensMinted[String(installationId)] ?? 0;
    const fresh = client((_, expiresAt) => expiresAt);
    const first = await fresh.installationToken(installationId);
    const before = minted();
    expect((await fresh.installationToken(installationId)).token).toBe(first.token);
    expect(minted()).toBe(before);
    const due = client((issuedAt) => issuedAt);
    const a = await due.installationToken(installationId);
    const b = await due.installationToken(installationId);
    expect(a.token).not.toBe(b.token);
    expect(minted()).toBe(before + 2);
  });

  it('is refused with a key that is not the app\'s (RS256 checked against its public key)', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const refusalsBefore = sim.githubApps.stats().jwtRefusals;
    await expect(client((_, e) => e, stranger).installation(installationId)).rejects.toMatchObject({ name: 'CredentialRejectedError' });
    expect(sim.githubApps.stats().jwtRefusals).toBe(refusalsBefore + 1);
  });
});
