import { type ProviderFetch, CredentialRejectedError, createEgressFetch, withAuthorization } from '@repovault/providers/core';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { GitHubAdapter, classifyGitHubToken, githubApiBaseUrl, githubAuthorization } from '../src';

describe('GitHubAdapter against the simulator', () => {
  let sim: RunningSimulator;
  let calls: string[];
  let base: ProviderFetch;

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    calls = [];
    const egress = createEgressFetch({ allowPrivateAddresses: true });
    base = (url, init) => {
      calls.push(url);
      return egress(url, init);
    };
  });

  function adapterFor(token: string) {
    return new GitHubAdapter({ apiBaseUrl: githubApiBaseUrl(sim.github.baseUrl), fetch: withAuthorization(base, githubAuthorization(token), [new URL(sim.github.baseUrl).origin]) });
  }

  it('identifies a classic token with its scopes, identity and budget', async () => {
    const identity = await adapterFor(sim.tokens['alice'] ?? '').identify();
    expect(identity).toMatchObject({ provider: 'github', login: 'alice', tokenKind: 'classic', scopes: ['repo', 'read:org'] });
    expect(identity.key).toBe(`github:${new URL(sim.github.baseUrl).host}:user:${identity.accountId}`);
    expect(identity.rateLimit).toMatchObject({ limit: 5000, resource: 'core' });
    expect(calls.every((u) => u.includes('/api/v3/'))).toBe(true);
  });

  it('gives two tokens of one user the same identity key', async () => {
    const [a, b] = await Promise.all([adapterFor(sim.tokens['alice'] ?? '').identify(), adapterFor(sim.tokens['alice-2'] ?? '').identify()]);
    expect(a.key).toBe(b.key);
  });

  it('sees no scopes on a fine-grained token', async () => {
    const token = sim.tokens['erin-fine-grained'] ?? '';
    expect(classifyGitHubToken(token)).toBe('fine-grained-pat');
    expect(await adapterFor(token).identify()).toMatchObject({ scopes: null, tokenKind: 'fine-grained-or-app' });
  });

  it('rejects a dead token', async () => {
    await expect(adapterFor('ghp_000000000000000000000000000000000000').identify()).rejects.toBeInstanceOf(CredentialRejectedError);
  });

  it('checks organization access by membership', async () => {
    const bob = adapterFor(sim.tokens['bob'] ?? '');
    expect(await bob.checkOrganizationAccess('acme', await bob.identify())).toEqual({ hasAccess: true, canonicalName: 'acme' });
    const mallory = adapterFor(sim.tokens['mallory'] ?? '');
    expect((await mallory.checkOrganizationAccess('acme', await mallory.identify())).hasAccess).toBe(false);
    expect((await bob.checkOrganizationAccess('no-such-org', await bob.identify())).hasAccess).toBe(false);
  });

  it('lists every repository following link pagination', async () => {
    const repos = [];
    for await (const repo of adapterFor(sim.tokens['alice'] ?? '').listRepositories('acme')) repos.push(repo);
    expect(repos.map((r) => r.name).sort()).toEqual(sim.listRepositories('acme').sort());
    expect(repos[0]?.cloneUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/acme\/.+\.git$/);
    expect(calls.filter((u) => u.includes('/orgs/acme/repos'))).toHaveLength(Math.ceil(repos.length / 100));
  });
});
