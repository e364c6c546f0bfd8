import type { RepoVaultClient } from '@repovault/contracts/public-api';
import type { RunningSimulator } from '@repovault/testing/provider-simulator';
import { SecretLeakScanner, appEntry, queryDatabase, startOtlpReceiver, waitUntil } from '@repovault/testing/support';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startGithub, token } from '../support/github-world';
import { type StackUnderTest, startStack } from '../support/stack-harness';

describe('GitHub onboarding and the credential vault', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  let otlp: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let client: RepoVaultClient;
  let tenantId: string;
  let orgId: string;
  const scanner = new SecretLeakScanner();
  const oldKey = `old:${randomBytes(32).toString('base64')}`;
  const newKey = `new:${randomBytes(32).toString('base64')}`;

  beforeAll(async () => {
    sim = await startGithub(20);
    for (const name of Object.keys(sim.tokens)) scanner.register(token(sim, name), ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'mallory']);
    otlp = await startOtlpReceiver();
    sut = await startStack({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
      appEnv: { 'credential-service': { REPOVAULT_VAULT_KEYS: oldKey } },
      isolatedDatabase: true, // key rotation acts on every tenant's secrets
    });
    const tenant = await sut.newTenant();
    client = tenant.client;
    tenantId = tenant.id;
  }, 120_000);

  afterAll(async () => {
    await sut?.stop();
    await otlp?.close();
    await sim?.close();
  });

  async function repositoryNames(status?: 'active' | 'deleted'): Promise<string[]> {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const { data } = await client.GET('/v1/organizations/{id}/repositories', { params: { path: { id: orgId }, query: { limit: 200, cursor, status } } });
      names.push(...(data?.items ?? []).map((r) => r.fullName));
      cursor = data?.nextCursor ?? undefined;
    } while (cursor);
    return names.sort();
  }

  it('onboards an organization by token and lists exactly its repositories', async () => {
    const { data, response, error } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: 'alice', secret: token(sim, 'alice') }, sync: { intervalMinutes: 60 } },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(201);
    orgId = data?.id ?? '';
    expect(data).toMatchObject({ provider: 'github', name: 'acme', status: 'active', repositoryCount: 20, auth: { method: 'token', username: 'alice' } });
    expect(await repositoryNames()).toEqual(sim.listRepositories('acme').map((n) => `acme/${n}`).sort());
  });

  it('refuses a bad main token with a 422 before storing anything', async () => {
    const { response, error } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme-two', auth: { method: 'token', secret: 'ghp_revokedrevokedrevokedrevokedrevoked00' } },
    });
    expect(response.status).toBe(422);
    expect(error?.detail).toMatch(/rejected the token/);
    const secrets = await client.GET('/v1/secrets');
    expect(secrets.data?.items.some((s) => s.name.includes('acme-two'))).toBe(false);
  });

  it('adds a repository upstream after a sync with auto-add on, not with it off, and marks a deleted one', async () => {
    await sim.addRepository('acme', { name: 'added-with-auto-add' });
    await client.POST('/v1/organizations/{id}/sync', { params: { path: { id: orgId } } });
    await waitUntil(async () => (await repositoryNames()).includes('acme/added-with-auto-add'), { what: 'the new repository' });

    await client.PATCH('/v1/organizations/{id}', { params: { path: { id: orgId } }, body: { autoAddNewRepositories: false } });
    await sim.addRepository('acme', { name: 'added-without-auto-add' });
    sim.deleteRepository('acme', 'added-with-auto-add');
    await client.POST('/v1/organizations/{id}/sync', { params: { path: { id: orgId } } });
    await waitUntil(async () => (await repositoryNames('deleted')).includes('acme/added-with-auto-add'), { what: 'the deletion' });
    expect(await repositoryNames()).not.toContain('acme/added-without-auto-add');
    expect(await repositoryNames('active')).not.toContain('acme/added-with-auto-add');
  });

  it('lists additional credentials with identities and rate limits, flagging two tokens of one user', async () => {
    const added: Record<string, string> = {};
    for (const name of ['bob', 'carol', 'dave', 'alice-2']) {
      const { data, response } = await client.POST('/v1/organizations/{organizationId}/credentials', {
        params: { path: { organizationId: orgId } },
        body: { method: 'token', username: name.replace('-2', ''), secret: token(sim, name) },
      });
      expect({ name, status: response.status }).toEqual({ name, status: 201 });
      added[name] = data?.id ?? '';
    }
    const { data } = await client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } } });
    const items = data?.items ?? [];
    expect(items).toHaveLength(5);
    const main = items.find((c) => c.role === 'main');
    for (const name of ['bob', 'carol', 'dave']) {
      const credential = items.find((c) => c.id === added[name]);
      expect(credential).toMatchObject({ role: 'additional', status: 'valid', identity: { login: name }, scopes: ['repo', 'read:org'], capabilities: { git: true, metadata: true }, sharesBudgetWith: [] });
      expect(credential?.rateLimit).toMatchObject({ limit: 5000, resource: 'core' });
    }
    const alice2 = items.find((c) => c.id === added['alice-2']);
    expect(alice2?.sharesBudgetWith).toEqual([main?.id]);
    expect(main?.sharesBudgetWith).toEqual([added['alice-2']]);
    expect(alice2?.identity?.key).toBe(main?.identity?.key);
  });

  it.each([
    ['a fine-grained token', 'erin-fine-grained', 'erin', /only personal access tokens \(classic\)/],
    ['a token missing repo', 'frank', 'frank', /lacks the scope "repo"/],
    ['a dead token', null, 'bob', /rejected the token/],
    ['a token without access', 'mallory', 'mallory', /cannot see the organization "acme"/],
  ])('refuses %s with a 422 a person can act on', async (_label, name, username, message) => {
    const secret = name ? token(sim, name) : `ghp_${randomBytes(18).toString('hex')}`;
    scanner.register(secret);
    const { response, error } = await client.POST('/v1/organizations/{organizationId}/credentials', {
      params: { path: { organizationId: orgId } },
      body: { method: 'token', username, secret },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(error?.detail).toMatch(message);
  });

  it('uses password-manager entries, re-detects identity on rotation and keeps values write-only', async () => {
    const { data: secret } = await client.POST('/v1/secrets', { body: { name: `pat-${randomBytes(3).toString('hex')}`, value: token(sim, 'carol') } });
    expect(secret?.hint).toBe(token(sim, 'carol').slice(-4));
    const { data: credential } = await client.POST('/v1/organizations/{organizationId}/credentials', {
      params: { path: { organizationId: orgId } },
      body: { method: 'token', secretId: secret?.id },
    });
    expect(credential?.identity?.login).toBe('carol');
    const inUse = await client.DELETE('/v1/secrets/{id}', { params: { path: { id: secret?.id ?? '' } } });
    expect(inUse.response.status).toBe(409);
    await client.PUT('/v1/secrets/{id}/value', { params: { path: { id: secret?.id ?? '' } }, body: { value: token(sim, 'dave') } });
    const { data: after } = await client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } } });
    expect(after?.items.find((c) => c.id === credential?.id)?.identity?.login).toBe('dave');
  });

  it("hides another tenant's organizations (404)", async () => {
    const other = await sut.newTenant();
    expect((await other.client.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })).response.status).toBe(404);
    expect((await other.client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } } })).response.status).toBe(404);
    const add = await other.client.POST('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } }, body: { method: 'token', secret: token(sim, 'bob') } });
    expect(add.response.status).toBe(404);
  });

  it('re-encrypts every secret on key rotation and every credential still works', async () => {
    const before = await queryDatabase<{ key_id: string }>('SELECT DISTINCT key_id FROM credential.secrets WHERE tenant_id = $1', [tenantId], sut.databaseUrl);
    expect(before.map((r) => r.key_id)).toEqual(['old']);
    const output = execFileSync(process.execPath, [appEntry('credential-service', 'main').replace(/main\.js$/, 'rotate-vault-keys.js')], {
      env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: sut.databaseUrl, REPOVAULT_VAULT_KEYS: `${newKey},${oldKey}` },
      encoding: 'utf8',
    });
    expect(output).toMatch(/re-wrapped \d+ of \d+ secrets under key "new"/);
    const after = await queryDatabase<{ n: string }>("SELECT count(*) AS n FROM credential.secrets WHERE key_id <> 'new'", [], sut.databaseUrl);
    expect(Number(after[0]?.n)).toBe(0);
    // the old key is gone: everything must decrypt with the new one alone
    await sut.stack.restart(sut.stack.process('credential-service'), { REPOVAULT_VAULT_KEYS: newKey });
    const { data } = await client.GET('/v1/organizations/{organizationId}/credentials', { params: { path: { organizationId: orgId } } });
    for (const credential of data?.items ?? []) {
      const checked = await client.POST('/v1/organizations/{organizationId}/credentials/{credentialId}/validate', {
        params: { path: { organizationId: orgId, credentialId: credential.id } },
      });
      expect({ id: credential.id, status: checked.data?.status }).toEqual({ id: credential.id, status: 'valid' });
    }
    const syncedBefore = (await client.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })).data?.lastSyncedAt;
    await client.POST('/v1/organizations/{id}/sync', { params: { path: { id: orgId } } });
    await waitUntil(async () => (await client.GET('/v1/organizations/{id}', { params: { path: { id: orgId } } })).data?.lastSyncedAt !== syncedBefore, { what: 'a sync with the rotated key' });
  });

  it('stores no plaintext and leaks no secret in responses, logs, spans, job payloads or tables', async () => {
    await new Promise((r) => setTimeout(r, 1_500)); // let span batches flush
    const rows = await queryDatabase<{ n: string }>('SELECT count(*) AS n FROM credential.secrets WHERE tenant_id = $1', [tenantId], sut.databaseUrl);
    expect(Number(rows[0]?.n)).toBeGreaterThan(4);
    for (const body of sut.responses) scanner.scanText('response', body);
    for (const proc of sut.stack.processes) scanner.scanFile(proc.log);
    for (const body of otlp.bodies) scanner.scanText('spans', body);
    expect(otlp.bodies.length).toBeGreaterThan(0);
    expect(await scanner.scanRedis(sut.queuePrefix)).toBeGreaterThan(0);
    expect(await scanner.scanDatabase(sut.databaseUrl, ['gateway', 'org', 'credential', 'plan', 'worker'])).toBeGreaterThan(0);
    expect(scanner.leaks).toEqual([]);
    // the scanner itself works: a value that is meant to be stored is found
    const canary = new SecretLeakScanner();
    canary.register(orgId);
    await canary.scanDatabase(sut.databaseUrl, ['org']);
    for (const proc of sut.stack.processes) canary.scanFile(proc.log);
    expect(canary.leaks.map((l) => l.where)).toEqual(expect.arrayContaining(['table org.organizations']));
  });
});

describe('GitHub onboarding with private provider URLs not allowed', () => {
  let sim: RunningSimulator;
  let sut: StackUnderTest;
  beforeAll(async () => {
    sim = await startGithub(2);
    sut = await startStack({ apps: ['api-gateway', 'org-service', 'credential-service'], allowPrivateProviderUrls: false });
  }, 120_000);
  afterAll(async () => {
    await sut?.stop();
    await sim?.close();
  });

  it.each([
    ['the simulator on loopback', () => sim.github.baseUrl, /must use https|private, loopback/],
    ['a loopback https URL', () => 'https://127.0.0.1:8443/api/v3', /private, loopback or link-local address \(127\.0\.0\.1\)/],
    ['a private IP', () => 'https://10.1.2.3/api/v3', /private, loopback or link-local/],
    ['a name resolving to loopback', () => 'https://localhost/api/v3', /private, loopback or link-local/],
  ])('refuses %s', async (_label, baseUrl, message) => {
    const { client } = await sut.newTenant();
    const { response, error } = await client.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: baseUrl(), name: 'acme', auth: { method: 'token', secret: token(sim, 'alice') } },
    });
    expect(response.status).toBe(422);
    expect(error?.detail).toMatch(message);
    expect(sim.stats().identities[sim.identityOf(token(sim, 'alice'))]?.requests ?? 0).toBe(0);
  });
});
