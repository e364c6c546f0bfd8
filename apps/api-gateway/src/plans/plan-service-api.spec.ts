import type { INestApplication } from '@nestjs/common';
import type { PlanRecord, RunRecord, SnapshotRecord } from '@repovault/contracts/internal-api';
import { developmentServiceToken, loadConfig } from '@repovault/platform/config';
import { ServiceRuntime, bootstrapService } from '@repovault/platform/http';
import { createLogger } from '@repovault/platform/logging';
import { TEST_DATABASE_URL, freePort, prepareTestDatabase } from '@repovault/testing/support';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gatewayConfigSchema } from '../config/gateway.config';
import { gatewayDataSourceSpec } from '../database/gateway-data-source';
import { GatewayModule } from '../gateway.module';

interface Seen {
  method: string;
  path: string;
  tenantId: string;
  idempotencyKey: string | undefined;
  body: string;
}

/**
 * The public plans, runs and snapshots routes against a fake plan-service (a loopback HTTP server):
 * roles, validation, what is forwarded, relayed problems, and streams passed through — including
 * a stream that plan-service cuts because the stored bytes were corrupt.
 */
describe('public plans, runs and snapshots API (gateway with a fake plan-service)', () => {
  const seen: Seen[] = [];
  const bundle = randomBytes(300_000);
  const planId = randomUUID();
  const organizationId = randomUUID();
  let fake: Server;
  let app: INestApplication;
  let url: string;
  let adminToken: string;

  const planRecord = (): PlanRecord => ({
    id: planId, organizationId, name: 'nightly', isDefault: false, repositories: { mode: 'all', exclude: [] },
    include: { git: true, lfs: true, wiki: true, issues: true, pullRequests: true, comments: true, releases: true, labels: true, milestones: true },
    schedule: { hours: [2] }, retention: { keepLast: 30 }, advanced: { additionalCredentials: { enabled: false, credentialIds: [] } }, workerPool: null,
    warnings: [], nextRunAt: null, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
  });
  const runRecord = (): RunRecord => ({
    id: randomUUID(), planId, organizationId, status: 'queued', statusDetail: null, trigger: 'manual', workerPool: 'default', queuedAt: new Date().toISOString(),
    startedAt: null, finishedAt: null, repositories: { total: 0, succeeded: 0, failed: 0, skipped: 0, pending: 0 }, apiCalls: { total: 0, byCredential: {} },
    throttle: { waitMs: 0, refusals: 0 }, errors: [],
  });
  const snapshotRecord = (): SnapshotRecord => ({
    id: randomUUID(), repositoryId: randomUUID(), organizationId, planId, runId: randomUUID(), repositoryFullName: 'acme/widgets', createdAt: new Date().toISOString(),
    refs: { 'refs/heads/main': 'a'.repeat(40) }, wikiRefs: null, metadata: { issues: 2, 'pull-requests': 1 }, lfsObjects: 0, sizeBytes: 10, newBytes: 10,
    files: [{ path: 'repository.bundle', sha256: 'b'.repeat(64), bytes: 10, kind: 'bundle' }],
  });

  function answerFake(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    seen.push({ method: req.method ?? '', path, tenantId: String(req.headers['x-repovault-tenant-id']), idempotencyKey: req.headers['idempotency-key'] as string | undefined, body });
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (req.headers.authorization !== `Bearer ${developmentServiceToken('api-gateway')}`) return json(401, { type: 'x', title: 'Unauthorized', status: 401, detail: 'token' });
    if (req.method === 'POST' && path === '/internal/plans') {
      const sent = JSON.parse(body) as { advanced?: { additionalCredentials?: { credentialIds?: string[] } } };
      const listed = sent.advanced?.additionalCredentials?.credentialIds ?? [];
      if (listed.length > 0) return json(422, { type: 'urn:problem-type:repovault:credential-not-allowed', title: 'Credential not allowed', status: 422, detail: `credential ${listed[0]} is not a credential of organization ${organizationId}` });
      return json(201, planRecord());
    }
    if (req.method === 'GET' && path === `/internal/plans/${planId}`) return json(200, planRecord());
    if (req.method === 'POST' && path === `/internal/plans/${planId}/runs`) return json(202, runRecord());
    if (req.method === 'GET' && path.startsWith('/internal/snapshots/') && path.endsWith('/bundle')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'x-repovault-sha256': createHash('sha256').update(bundle).digest('hex'), 'content-disposition': 'attachment; filename="a.bundle"' });
      if (path.includes('00000000-0000-4000-8000-00000000dead')) {
        // what plan-service does when the bytes do not verify: some bytes, then the connection is cut
        res.write(bundle.subarray(0, 100_000), () => res.destroy());
        return;
      }
      res.end(bundle);
      return;
    }
    if (req.method === 'GET' && /^\/internal\/snapshots\/[^/]+$/.test(path)) return json(200, snapshotRecord());
    return json(404, { type: 'urn:problem-type:repovault:not-found', title: 'Not found', status: 404, detail: 'Plan was not found' });
  }

  beforeAll(async () => {
    fake = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => answerFake(req, res, body));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', () => resolve()));
    await prepareTestDatabase(gatewayDataSourceSpec);
    const port = await freePort();
    adminToken = `rvadm_${randomBytes(16).toString('hex')}`;
    const config = loadConfig(gatewayConfigSchema, {
      DATABASE_URL: TEST_DATABASE_URL,
      REPOVAULT_ADMIN_TOKEN: adminToken,
      REPOVAULT_GATEWAY_PORT: String(port),
      REPOVAULT_PLAN_SERVICE_URL: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
    });
    const runtime = new ServiceRuntime('api-gateway', createLogger({ service: 'api-gateway', level: 'silent' }));
    app = await bootstrapService(GatewayModule.forRoot(config, runtime), { runtime, host: '127.0.0.1', port });
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await app.close();
    fake.closeAllConnections();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  });

  async function tenant(): Promise<{ id: string; keys: Record<'admin' | 'backup-operator' | 'viewer', string> }> {
    const created = await fetch(`${url}/v1/tenants`, { method: 'POST', headers: { 'x-admin-token': adminToken, 'content-type': 'application/json' }, body: JSON.stringify({ name: `t-${randomUUID().slice(0, 8)}` }) });
    const { id, apiKey } = (await created.json()) as { id: string; apiKey: string };
    const keys = { admin: apiKey, 'backup-operator': '', viewer: '' };
    for (const role of ['backup-operator', 'viewer'] as const) {
      const made = await fetch(`${url}/v1/api-keys`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: role, role }) });
      keys[role] = ((await made.json()) as { key: string }).key;
    }
    return { id, keys };
  }

  const call = (key: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('lets readers read and only backup operators (and admins) change plans and start or cancel runs', async () => {
    const t = await tenant();
    expect((await call(t.keys.viewer, 'GET', `/v1/plans/${planId}`)).status).toBe(200);
    expect((await call(t.keys.viewer, 'POST', '/v1/plans', { name: 'p', organizationId })).status).toBe(403);
    expect((await call(t.keys.viewer, 'PATCH', `/v1/plans/${planId}`, { name: 'p' })).status).toBe(403);
    expect((await call(t.keys.viewer, 'DELETE', `/v1/plans/${planId}`)).status).toBe(403);
    expect((await call(t.keys.viewer, 'POST', `/v1/plans/${planId}/runs`)).status).toBe(403);
    expect((await call(t.keys.viewer, 'POST', `/v1/runs/${randomUUID()}/cancel`)).status).toBe(403);
    expect((await call(t.keys['backup-operator'], 'POST', '/v1/plans', { name: 'p', organizationId })).status).toBe(201);
    expect((await fetch(`${url}/v1/plans`)).status).toBe(401);
  });

  it('validates input itself and relays plan-service problems', async () => {
    const t = await tenant();
    const bad = await call(t.keys.admin, 'POST', '/v1/plans', { name: '', organizationId: 'x', schedule: { hours: [25] }, retention: { keepLast: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    const fields = ((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'organizationId', 'schedule.hours', 'retention.keepLast']));
    const credentialId = randomUUID();
    const refused = await call(t.keys.admin, 'POST', '/v1/plans', { name: 'p', organizationId, advanced: { additionalCredentials: { enabled: true, credentialIds: [credentialId] } } });
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { detail: string }).detail).toContain(credentialId);
    expect((await call(t.keys.admin, 'GET', `/v1/plans/${randomUUID()}`)).status).toBe(404);
    expect((await call(t.keys.admin, 'GET', '/v1/plans/not-a-uuid')).status).toBe(400);
  });

  it('forwards the tenant and the Idempotency-Key of "Run now" and answers 202', async () => {
    const t = await tenant();
    const key = randomUUID();
    const started = await call(t.keys['backup-operator'], 'POST', `/v1/plans/${planId}/runs`, undefined, { 'idempotency-key': key });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ planId, status: 'queued', repositories: { total: 0 }, apiCalls: { total: 0 }, throttle: { refusals: 0 } });
    const forwarded = seen.filter((s) => s.path === `/internal/plans/${planId}/runs` && s.tenantId === t.id);
    expect(forwarded.map((s) => s.idempotencyKey)).toEqual([key]);
    expect((await call(t.keys['backup-operator'], 'POST', `/v1/plans/${planId}/runs`, undefined, { 'idempotency-key': ' '.repeat(3) })).status).toBe(400);
  });

  it('shows metadata counts with the API field names and hides nothing a client needs', async () => {
    const t = await tenant();
    const snapshot = (await (await call(t.keys.viewer, 'GET', `/v1/snapshots/${randomUUID()}`)).json()) as Record<string, unknown>;
    expect(snapshot['metadata']).toEqual({ issues: 2, pullRequests: 1 });
    expect(snapshot).toMatchObject({ repositoryFullName: 'acme/widgets', refs: { 'refs/heads/main': 'a'.repeat(40) } });
    expect(JSON.stringify(snapshot)).not.toContain(t.id);
  });

  it('streams a bundle through, and passes on a cut stream as a cut stream', async () => {
    const t = await tenant();
    const ok = await call(t.keys.viewer, 'GET', `/v1/snapshots/${randomUUID()}/bundle`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/octet-stream');
    expect(ok.headers.get('x-repovault-sha256')).toBe(createHash('sha256').update(bundle).digest('hex'));
    expect(Buffer.from(await ok.arrayBuffer()).equals(bundle)).toBe(true);

    const cut = await call(t.keys.viewer, 'GET', '/v1/snapshots/00000000-0000-4000-8000-00000000dead/bundle');
    expect(cut.status).toBe(200);
    await expect(cut.arrayBuffer()).rejects.toThrow();
    expect((await call(t.keys.viewer, 'GET', `/v1/snapshots/${randomUUID()}/metadata/issues`)).status).toBe(404);
  });
});
