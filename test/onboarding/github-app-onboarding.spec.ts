import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { SecretLeakScanner, waitUntil } from '@repovault/testing/support';
import { rmSync } from 'node:fs';
import { defaultPlanOf, snapshotsOf } from '../support/backup-helpers';
import {
  authorizeOverHttp, configDir, delegatedOnboardingWorld, installOverHttp, operatorGitHubApps, operatorOAuthClients, registerOperatorClients,
} from '../support/delegated-onboarding';
import { type StackUnderTest, startStack } from '../support/stack-harness';

const APPS = [{ slug: 'repovault', name: 'RepoVault' }, ...Array.from({ length: 10 }, (_, i) => ({ slug: `repovault-${i + 1}`, name: `RepoVault #${i + 1}` }))];

describe('Onboarding by GitHub App: the main app and additional apps #1–#10', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  const dir = configDir();
  const organizations: Record<'acme' | 'beta' | 'gamma', string> = { acme: '', beta: '', gamma: '' };

  beforeAll(async () => {
    // installation tokens live 3 s: a serial run of 12 repositories at 40 ms a request outlives several
    sim = await startSimulator({ seed: delegatedOnboardingWorld(12), latencyMs: 40, githubApps: { apps: APPS, installationTokenSeconds: 3 } });
    sut = await startStack({
      workerConcurrency: 1,
      appEnv: { 'credential-service': { REPOVAULT_GITHUB_APPS: operatorGitHubApps(sim, dir, 10), REPOVAULT_OAUTH_CLIENTS: operatorOAuthClients(sim, dir, ['github']) } },
    });
    registerOperatorClients(sim, sut.stack.gatewayUrl, ['github']);
    for (const app of APPS) sim.githubApps.setSetupUrl(app.slug, `${sut.stack.gatewayUrl}/v1/github-apps/callback`);
    client = (await sut.newTenant()).client;
  }, 180_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts an installation of the app in `slot`, walks GitHub's page as `login` on `account`, answers GitHub's return page and the flow. */
  async function install(slot: 'main' | number, login: string, account: string, organizationId?: string) {
    const { data: started, error } = await client.POST('/v1/github-apps/installations', { body: { appSlot: slot, organizationId } });
    if (!started) throw new Error(`installation not started: ${JSON.stringify(error)}`);
    expect(started.installUrl).toMatch(new RegExp(`/apps/${slot === 'main' ? 'repovault' : `repovault-${slot}`}/installations/new\\?state=${started.id}\\.`));
    const page = await installOverHttp(started.installUrl, login, account);
    const { data: flow } = await client.GET('/v1/github-apps/installations/{id}', { params: { path: { id: started.id } } });
    return { page, flow };
  }

  async function addAppCredential(organizationId: string, appSlot: number, installationId: number) {
    return client.POST('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId } }, body: { method: 'github-app', appSlot, installationId } });
  }

  it('lists the configured apps: main and #1–#10', async () => {
    const { data } = await client.GET('/v1/github-apps');
    expect(data?.items.map((a) => a.slot)).toEqual(['main', 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(data?.items[0]).toMatchObject({ slug: 'repovault', appId: sim.githubApps.app('repovault').id });
  });

  it('condition 1 for the main app: a member whose installation needs an owner approval is refused', async () => {
    const { page, flow } = await install('main', 'bob', 'beta');
    expect(page.status).toBe(400);
    expect(page.html).toMatch(/Condition 1 is not met: you do not have the required permissions to complete the installation/);
    expect(flow).toMatchObject({ status: 'refused', installationId: null, refusal: { condition: 1, code: 'installation-needs-approval' } });
    expect(sim.githubApps.stats().requests).toEqual([expect.objectContaining({ account: 'beta', requester: 'bob' })]);
  });

  it('connects acme with the main app; its budget identity is the installation', async () => {
    const { page, flow } = await install('main', 'alice', 'acme');
    expect(page.html).toMatch(/id="flow-status" data-ok="true"/);
    expect(flow).toMatchObject({ status: 'installed', account: { login: 'acme', type: 'Organization' } });
    const installationId = flow?.installationId ?? 0;
    const wrongOrg = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'beta', auth: { method: 'github-app', installationId } } });
    expect(wrongOrg.response.status).toBe(422);
    expect(wrongOrg.error?.detail).toMatch(/on the account "acme", not on the organization "beta"/);
    const { data, error } = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'github-app', installationId } } });
    expect(error).toBeUndefined();
    expect(data).toMatchObject({ auth: { method: 'github-app', username: 'acme' }, repositoryCount: 12 });
    organizations.acme = data?.id ?? '';
    const { data: credentials } = await client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: organizations.acme } } });
    expect(credentials?.items[0]).toMatchObject({
      role: 'main', method: 'github-app', tokenKind: 'installation', status: 'valid', capabilities: { git: true, metadata: true },
      identity: { key: `github:${new URL(sim.github.baseUrl).host}:installation:${installationId}`, login: 'acme' },
      rateLimit: { limit: 5000, resource: 'core' },
    });
    const checked = await client.POST('/v1/organizations/{organizationId}/credentials/{credentialId}/validate', {
      params: { path: { organizationId: organizations.acme, credentialId: credentials?.items[0]?.id ?? '' } },
    });
    expect(checked.data).toMatchObject({ status: 'valid', identity: { login: 'acme' } });
    // the same installation cannot connect a second organization
    const reused = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'github-app', installationId } } });
    expect(reused.response.status).toBe(409);
  });

  it('keeps backing up across an installation-token renewal in the middle of a run', async () => {
    const planId = await defaultPlanOf(client, organizations.acme);
    const installationIdentity = (await client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: organizations.acme } } })).data?.items[0]?.identity?.key ?? '';
    const installation = installationIdentity.split(':').pop() ?? '';
    const failuresBefore = sim.stats().authFailures['github'] ?? 0;
    let mintedAtStart = -1;
    const started = await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
    await waitUntil(async () => {
      const { data } = await client.GET('/v1/runs/{id}', { params: { path: { id: started.data?.id ?? '' } } });
      if (data?.status === 'running' && mintedAtStart < 0) mintedAtStart = sim.githubApps.stats().tokensMinted[installation] ?? 0;
      return ['succeeded', 'failed', 'partially-failed'].includes(data?.status ?? '');
    }, { timeoutMs: 180_000, intervalMs: 100, what: 'the run to finish' });
    const { data: run } = await client.GET('/v1/runs/{id}', { params: { path: { id: started.data?.id ?? '' } } });
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 12, succeeded: 12, failed: 0 } });
    expect(mintedAtStart).toBeGreaterThanOrEqual(0);
    expect(sim.githubApps.stats().tokensMinted[installation] ?? 0).toBeGreaterThan(mintedAtStart);
    expect(sim.stats().authFailures['github'] ?? 0).toBe(failuresBefore);
    expect((await snapshotsOf(client, planId, run?.id)).size).toBe(12);
    // the run spent the installation's budget, not a user's
    expect(sim.stats().identities[`github:installation:${installation}`]?.requests ?? 0).toBeGreaterThan(12);
  });

  describe('additional apps for an organization registered through the main GitHub App (acme)', () => {
    it('#1 on acme (the account that has the main app) is accepted', async () => {
      const { page, flow } = await install(1, 'alice', 'acme', organizations.acme);
      expect(page.status).toBe(200);
      const { data, response } = await addAppCredential(organizations.acme, 1, flow?.installationId ?? 0);
      expect(response.status).toBe(201);
      expect(data).toMatchObject({ role: 'additional', method: 'github-app', identity: { login: 'acme' }, sharesBudgetWith: [] });
      expect(data?.identity?.key).toMatch(/:installation:\d+$/);
    });

    it.each([
      [2, 'alice', 'alice'],
      [4, 'carol', 'carol'],
    ])('#%s on the personal account %s is refused: condition 2', async (slot, login, account) => {
      const { page, flow } = await install(slot, login, account, organizations.acme);
      expect(page.status).toBe(400);
      expect(page.html).toMatch(/Condition 2 is not met: register the account &quot;.+&quot; with the organization &quot;acme&quot; in RepoVault first/);
      expect(flow).toMatchObject({ status: 'refused', refusal: { condition: 2, code: 'account-not-registered' }, account: { login: account } });
      const { response, error } = await addAppCredential(organizations.acme, slot, flow?.installationId ?? 0);
      expect(response.status).toBe(422);
      expect(error).toMatchObject({ condition: 2, detail: expect.stringMatching(/^Condition 2 is not met/) });
    });

    it('#3 installed by a member without the rights is refused: condition 1', async () => {
      const { page, flow } = await install(3, 'bob', 'acme', organizations.acme);
      expect(page.status).toBe(400);
      expect(flow).toMatchObject({ status: 'refused', installationId: null, refusal: { condition: 1 } });
    });
  });

  describe('additional apps for an organization registered through a PAT (beta)', () => {
    beforeAll(async () => {
      const { data } = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'beta', auth: { method: 'token', secret: sim.tokens['alice'] ?? '' } } });
      organizations.beta = data?.id ?? '';
    });

    it.each([
      [5, 'beta'],
      [6, 'alice'],
      [7, 'acme'],
    ])('#%s on %s is accepted (any account, personal ones included)', async (slot, account) => {
      const { page, flow } = await install(slot, 'alice', account, organizations.beta);
      expect(page.status).toBe(200);
      const { response, data } = await addAppCredential(organizations.beta, slot, flow?.installationId ?? 0);
      expect(response.status).toBe(201);
      expect(data?.identity?.login).toBe(account);
    });

    it('#8 installed by a member without the rights is refused: condition 1', async () => {
      const { page, flow } = await install(8, 'bob', 'beta', organizations.beta);
      expect(page.html).toMatch(/Condition 1 is not met/);
      expect(flow?.refusal?.condition).toBe(1);
    });
  });

  describe('additional apps for an organization registered through OAuth (gamma)', () => {
    beforeAll(async () => {
      const done = await authorizeOverHttp(client, { provider: 'github', baseUrl: sim.github.baseUrl }, 'alice');
      const { data } = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'gamma', auth: { method: 'oauth', authorizationId: done.id } } });
      organizations.gamma = data?.id ?? '';
    });

    it('#9 on the personal account carol is accepted', async () => {
      const { page, flow } = await install(9, 'carol', 'carol', organizations.gamma);
      expect(page.status).toBe(200);
      expect((await addAppCredential(organizations.gamma, 9, flow?.installationId ?? 0)).response.status).toBe(201);
    });

    it('#10 installed by a member without the rights is refused: condition 1', async () => {
      const { flow } = await install(10, 'bob', 'gamma', organizations.gamma);
      expect(flow?.refusal).toMatchObject({ condition: 1, detail: expect.stringMatching(/^Condition 1 is not met/) });
    });
  });

  it('refuses an installation made for another organization or slot, and a replayed setup redirect', async () => {
    const { page, flow } = await install(10, 'alice', 'gamma', organizations.beta);
    expect(page.status).toBe(200);
    const elsewhere = await addAppCredential(organizations.acme, 10, flow?.installationId ?? 0);
    expect(elsewhere.response.status).toBe(422);
    expect(elsewhere.error?.detail).toMatch(/was not made through RepoVault for this organization/);
    const replay = await fetch(page.callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/already used/);
  });

  it('never answers or logs an installation token or a private key', async () => {
    const scanner = new SecretLeakScanner();
    for (const token of sim.githubApps.issuedTokens()) scanner.register(token);
    for (const token of sim.oauth.issuedTokens('github')) scanner.register(token);
    for (const app of APPS) scanner.register(sim.githubApps.app(app.slug).privateKeyPem.split('\n')[1] ?? '');
    expect(sim.githubApps.issuedTokens().length).toBeGreaterThan(5);
    for (const body of sut.responses) scanner.scanText('response', body);
    for (const proc of sut.stack.processes) scanner.scanFile(proc.log);
    expect(await scanner.scanRedis(sut.queuePrefix)).toBeGreaterThan(0);
    expect(await scanner.scanDatabase(sut.databaseUrl, ['gateway', 'org', 'credential', 'plan', 'worker'])).toBeGreaterThan(0);
    expect(scanner.leaks).toEqual([]);
  });
});
