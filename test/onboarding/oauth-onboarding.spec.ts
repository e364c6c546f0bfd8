import type { RepoVaultClient } from '@repovault/contracts/public-api';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { SecretLeakScanner, queryDatabase, waitUntil } from '@repovault/testing/support';
import { rmSync } from 'node:fs';
import { defaultPlanOf, runPlan, snapshotsOf } from '../support/backup-helpers';
import {
  type OAuthProvider, authorizeOverHttp, configDir, consentOverHttp, delegatedOnboardingWorld, operatorOAuthClients, providerBaseUrl, registerOperatorClients,
} from '../support/delegated-onboarding';
import { type StackUnderTest, startStack } from '../support/stack-harness';

const PROVIDERS: OAuthProvider[] = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'];
const WORKER_TOKEN = 'dev-internal-token-backup-worker';

describe('Onboarding by OAuth (standard and advanced mode)', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let client: RepoVaultClient;
  let tenantId: string;
  const dir = configDir();
  const scanner = new SecretLeakScanner();

  beforeAll(async () => {
    // every request costs 40 ms and one worker runs one repository at a time: a run of N requests
    // lasts at least N × 40 ms, so a run of long-group outlives a 3-second access token for sure
    sim = await startSimulator({ seed: delegatedOnboardingWorld(6), latencyMs: 40 });
    sut = await startStack({ workerConcurrency: 1, appEnv: { 'credential-service': { REPOVAULT_OAUTH_CLIENTS: operatorOAuthClients(sim, dir, PROVIDERS) } } });
    registerOperatorClients(sim, sut.stack.gatewayUrl, PROVIDERS);
    const tenant = await sut.newTenant();
    client = tenant.client;
    tenantId = tenant.id;
  }, 120_000);

  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function credentialOf(organizationId: string) {
    const { data } = await client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId } } });
    return data?.items.find((c) => c.role === 'main');
  }

  it('connects a GitHub organization through the consent page (state, PKCE) and backs it up', async () => {
    const { data: started, response } = await client.POST('/v1/oauth/authorizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl } });
    expect(response.status).toBe(201);
    const authorizeUrl = new URL(started?.authorizeUrl ?? '');
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${sut.stack.gatewayUrl}/v1/oauth/callback`);
    expect(authorizeUrl.searchParams.get('state')).toMatch(new RegExp(`^${started?.id}\\.`));
    const back = await consentOverHttp(started?.authorizeUrl ?? '', 'alice');
    expect(back.status).toBe(200);
    expect(back.html).toMatch(/GitHub account &quot;alice&quot; authorized RepoVault/);
    const { data: authorization } = await client.GET('/v1/oauth/authorizations/{id}', { params: { path: { id: started?.id ?? '' } } });
    expect(authorization).toMatchObject({ status: 'authorized', account: { login: 'alice' } });

    const created = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'oauth', authorizationId: started?.id ?? '' } },
    });
    expect(created.error).toBeUndefined();
    expect(created.data).toMatchObject({ auth: { method: 'oauth', username: 'alice' }, repositoryCount: 6 });
    const main = await credentialOf(created.data?.id ?? '');
    expect(main).toMatchObject({ method: 'oauth', status: 'valid', secretId: null, identity: { login: 'alice' }, scopes: ['repo', 'read:org'] });
    const checked = await client.POST('/v1/organizations/{organizationId}/credentials/{credentialId}/validate', { params: { path: { organizationId: created.data?.id ?? '', credentialId: main?.id ?? '' } } });
    expect(checked.data).toMatchObject({ status: 'valid', identity: { login: 'alice' } });
    const run = await runPlan(client, await defaultPlanOf(client, created.data?.id ?? ''));
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 6, succeeded: 6 } });

    // the authorization was taken over: it connects nothing else
    const again = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'beta', auth: { method: 'oauth', authorizationId: started?.id ?? '' } } });
    expect(again.response.status).toBe(422);
    expect(again.error?.detail).toMatch(/already used/);
  });

  it('refuses a replayed state', async () => {
    const first = await authorizeOverHttp(client, { provider: 'gitlab', baseUrl: sim.gitlab.baseUrl }, 'alice');
    expect(first.status).toBe(200);
    const replay = await fetch(first.callbackUrl);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toMatch(/already used: a state works only once/);
    const { data } = await client.GET('/v1/oauth/authorizations/{id}', { params: { path: { id: first.id } } });
    expect(data?.status).toBe('authorized');
  });

  it('refuses an expired state (valid 10 minutes)', async () => {
    const { data: started } = await client.POST('/v1/oauth/authorizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl } });
    const validity = new Date(started?.expiresAt ?? '').getTime() - new Date(started?.createdAt ?? '').getTime();
    expect(Math.round(validity / 1000)).toBe(600);
    await queryDatabase("UPDATE credential.oauth_authorizations SET expires_at = now() - interval '1 second' WHERE id = $1", [started?.id], sut.databaseUrl);
    const back = await consentOverHttp(started?.authorizeUrl ?? '', 'alice');
    expect(back.status).toBe(400);
    expect(back.html).toMatch(/expired \(it is valid for 10 minutes\)/);
    const { data } = await client.GET('/v1/oauth/authorizations/{id}', { params: { path: { id: started?.id ?? '' } } });
    expect(data?.status).toBe('pending');
  });

  it("refuses another tenant's state and authorization", async () => {
    const other = await sut.newTenant();
    const mine = await client.POST('/v1/oauth/authorizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl } });
    const theirs = await other.client.POST('/v1/oauth/authorizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl } });
    // their flow id with my state's secret: the state is bound to its own authorization (and tenant)
    const myState = new URL(mine.data?.authorizeUrl ?? '').searchParams.get('state') ?? '';
    const forged = `${theirs.data?.id}.${myState.split('.')[1]}`;
    const page = await fetch(`${sut.stack.gatewayUrl}/v1/oauth/callback?code=whatever&state=${encodeURIComponent(forged)}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/does not belong to a RepoVault authorization/);
    // an authorization finished by one tenant is invisible to and unusable by another
    const done = await authorizeOverHttp(client, { provider: 'github', baseUrl: sim.github.baseUrl }, 'alice');
    expect((await other.client.GET('/v1/oauth/authorizations/{id}', { params: { path: { id: done.id } } })).response.status).toBe(404);
    const stolen = await other.client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'beta', auth: { method: 'oauth', authorizationId: done.id } } });
    expect(stolen.response.status).toBe(422);
    expect(stolen.error?.detail).toMatch(/does not name an OAuth authorization of this tenant/);
  });

  it('records a denied consent with the reason', async () => {
    const { data: started } = await client.POST('/v1/oauth/authorizations', { body: { provider: 'gitlab', baseUrl: sim.gitlab.baseUrl } });
    const back = await consentOverHttp(started?.authorizeUrl ?? '', 'alice', 'deny');
    expect(back.status).toBe(400);
    const { data } = await client.GET('/v1/oauth/authorizations/{id}', { params: { path: { id: started?.id ?? '' } } });
    expect(data).toMatchObject({ status: 'failed', failureReason: expect.stringMatching(/GitLab refused: .*denied/) });
  });

  it('needs an OAuth application for the host: standard mode names advanced mode as the way out', async () => {
    const { response, error } = await client.POST('/v1/oauth/authorizations', { body: { provider: 'gitlab', baseUrl: 'http://127.0.0.1:9/' } });
    expect(response.status).toBe(422);
    expect(error?.detail).toMatch(/POST \/v1\/oauth-apps \(advanced mode\)/);
  });

  it("advanced mode: the tenant's own OAuth application with its organization settings", async () => {
    sim.oauth.registerClient('gitlab', { clientId: 'tenant-app', clientSecret: 'tenant-app-secret', name: 'Acme backups', redirectUris: [`${sut.stack.gatewayUrl}/v1/oauth/callback`] });
    scanner.register('tenant-app-secret');
    const { data: secret } = await client.POST('/v1/secrets', { body: { name: 'gitlab-oauth-app', value: 'tenant-app-secret' } });
    const { data: app, response } = await client.POST('/v1/oauth-apps', {
      body: {
        provider: 'gitlab', baseUrl: sim.gitlab.baseUrl, clientId: 'tenant-app', clientSecretId: secret?.id ?? '',
        autoAddNewRepositories: false, includeGroups: true, sync: { hours: [3, 15] }, defaultWorkerPool: 'default',
      },
    });
    expect(response.status).toBe(201);
    expect(app?.redirectUri).toBe(`${sut.stack.gatewayUrl}/v1/oauth/callback`);
    const inUse = await client.DELETE('/v1/secrets/{id}', { params: { path: { id: secret?.id ?? '' } } });
    expect(inUse.response.status).toBe(409);

    const done = await authorizeOverHttp(client, { provider: 'gitlab', oauthAppId: app?.id }, 'alice');
    expect(done.status).toBe(200);
    const { data: authorization } = await client.GET('/v1/oauth/authorizations/{id}', { params: { path: { id: done.id } } });
    expect(authorization).toMatchObject({ oauthAppId: app?.id, organizationDefaults: { includeGroups: true, autoAddNewRepositories: false, sync: { hours: [3, 15] } } });
    const { data: organization, error } = await client.POST('/v1/organizations', { body: { provider: 'gitlab', name: 'beta-group', auth: { method: 'oauth', authorizationId: done.id } } });
    expect(error).toBeUndefined();
    expect(organization).toMatchObject({ repositoryCount: 2, baseUrl: sim.gitlab.baseUrl, includeGroups: true, autoAddNewRepositories: false, sync: { hours: [3, 15] }, auth: { method: 'oauth', username: 'alice' } });
    expect(sim.oauth.stats('gitlab').exchanges).toBeGreaterThan(0);
  });

  it.each([
    ['bitbucket-cloud', 'acme-ws', /oauth-consumer/],
    ['bitbucket-dc', 'ENG', /:user:alice$/],
  ] as const)('connects a %s organization by OAuth (budget identity %s)', async (provider, name, identity) => {
    const done = await authorizeOverHttp(client, { provider, baseUrl: providerBaseUrl(sim, provider) }, 'alice');
    expect({ status: done.status, html: done.html }).toMatchObject({ status: 200 });
    const { data, error } = await client.POST('/v1/organizations', { body: { provider, baseUrl: providerBaseUrl(sim, provider), name, auth: { method: 'oauth', authorizationId: done.id } } });
    expect(error).toBeUndefined();
    expect(data?.repositoryCount).toBe(1);
    expect((await credentialOf(data?.id ?? ''))?.identity?.key).toMatch(identity);
    expect(await runPlan(client, await defaultPlanOf(client, data?.id ?? ''))).toMatchObject({ status: 'succeeded', repositories: { succeeded: 1 } });
  });

  it('keeps backing up across an access-token refresh in the middle of a run', async () => {
    sim.oauth.configure('gitlab', { accessTokenSeconds: 3 });
    const done = await authorizeOverHttp(client, { provider: 'gitlab', baseUrl: sim.gitlab.baseUrl }, 'alice');
    const { data: organization } = await client.POST('/v1/organizations', {
      body: { provider: 'gitlab', baseUrl: sim.gitlab.baseUrl, name: 'long-group', auth: { method: 'oauth', authorizationId: done.id } },
    });
    expect(organization?.repositoryCount).toBe(12);
    const planId = await defaultPlanOf(client, organization?.id ?? '');
    const failuresBefore = sim.stats().authFailures['gitlab'] ?? 0;
    let refreshesAtStart = -1;
    const started = await client.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
    await waitUntil(async () => {
      const { data } = await client.GET('/v1/runs/{id}', { params: { path: { id: started.data?.id ?? '' } } });
      if (data?.status === 'running' && refreshesAtStart < 0) refreshesAtStart = sim.oauth.stats('gitlab').refreshes;
      return data?.status === 'succeeded' || data?.status === 'failed' || data?.status === 'partially-failed';
    }, { timeoutMs: 180_000, intervalMs: 100, what: 'the run to finish' });
    const { data: run } = await client.GET('/v1/runs/{id}', { params: { path: { id: started.data?.id ?? '' } } });
    expect(run).toMatchObject({ status: 'succeeded', repositories: { total: 12, succeeded: 12, failed: 0 } });
    expect(refreshesAtStart).toBeGreaterThanOrEqual(0);
    // the access token lived 3 s: it was refreshed (rotating the refresh token) while the run went on
    expect(sim.oauth.stats('gitlab').refreshes).toBeGreaterThan(refreshesAtStart);
    expect(sim.stats().authFailures['gitlab'] ?? 0).toBe(failuresBefore);
    expect((await snapshotsOf(client, planId, run?.id)).size).toBe(12);
    const rows = await queryDatabase<{ refresh_count: number }>('SELECT refresh_count FROM credential.oauth_tokens WHERE credential_id = $1', [organization?.mainCredentialId], sut.databaseUrl);
    expect(rows[0]?.refresh_count).toBeGreaterThan(0);
  });

  it('refreshes once when refreshers race (row lock), every caller getting the new token', async () => {
    sim.oauth.configure('github', { accessTokenSeconds: 3600 });
    const done = await authorizeOverHttp(client, { provider: 'github', baseUrl: sim.github.baseUrl }, 'alice');
    const { data: organization } = await client.POST('/v1/organizations', { body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'beta', auth: { method: 'oauth', authorizationId: done.id } } });
    const credentialId = organization?.mainCredentialId ?? '';
    await queryDatabase('UPDATE credential.oauth_tokens SET renew_at = now() WHERE credential_id = $1', [credentialId], sut.databaseUrl);
    const before = sim.oauth.stats('github').refreshes;
    const material = () =>
      fetch(`${sut.stack.urlOf('credential-service')}/internal/credentials/${credentialId}/material`, {
        headers: { authorization: `Bearer ${WORKER_TOKEN}`, 'x-repovault-tenant-id': tenantId },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { secret: string; renewAt: string } }));
    const answers = await Promise.all(Array.from({ length: 8 }, material));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => a.body.secret)).size).toBe(1);
    expect(sim.oauth.stats('github').refreshes).toBe(before + 1);
    expect(sim.oauth.stats('github').refusedRefreshes).toBe(0);
    for (const a of answers) scanner.register(a.body.secret);
    // a deleted organization keeps no tokens
    await client.DELETE('/v1/organizations/{id}', { params: { path: { id: organization?.id ?? '' } } });
    const left = async () => Number((await queryDatabase<{ n: string }>('SELECT count(*) AS n FROM credential.oauth_tokens WHERE credential_id = $1', [credentialId], sut.databaseUrl))[0]?.n);
    await waitUntil(async () => (await left()) === 0, { what: 'the deleted organization to keep no OAuth tokens' });
  });

  it('stores the tokens encrypted and never logs or answers them', async () => {
    await new Promise((r) => setTimeout(r, 1_000));
    const tokens = PROVIDERS.flatMap((p) => sim.oauth.issuedTokens(p));
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) scanner.register(token, ['alice']);
    for (const provider of PROVIDERS) scanner.register(`operator-secret-${provider}`);
    const sealed = await queryDatabase<{ n: string }>('SELECT count(*) AS n FROM credential.oauth_tokens WHERE tenant_id = $1', [tenantId], sut.databaseUrl);
    expect(Number(sealed[0]?.n)).toBeGreaterThan(3);
    for (const body of sut.responses) scanner.scanText('response', body);
    for (const proc of sut.stack.processes) scanner.scanFile(proc.log);
    expect(await scanner.scanRedis(sut.queuePrefix)).toBeGreaterThan(0);
    expect(await scanner.scanDatabase(sut.databaseUrl, ['gateway', 'org', 'credential', 'plan', 'worker'])).toBeGreaterThan(0);
    expect(scanner.leaks).toEqual([]);
  });
});
