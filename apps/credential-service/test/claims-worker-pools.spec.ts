import type { INestApplication } from '@nestjs/common';
import { getRepositoryToken } from '@nestjs/typeorm';
import type { ClaimCandidates, ClaimResponse, PlanCredentialPolicy, RunClaimScope } from '@repovault/contracts/internal-api';
import { developmentServiceToken, loadConfig } from '@repovault/platform/config';
import { ServiceRuntime, TENANT_HEADER, bootstrapService } from '@repovault/platform/http';
import { createLogger } from '@repovault/platform/logging';
import { TEST_DATABASE_URL, deleteRedisPrefix, freePort, prepareTestDatabase, uniqueQueuePrefix } from '@repovault/testing/support';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Repository } from 'typeorm';
import { credentialConfigSchema } from '../src/config/credential-service.config';
import { CredentialServiceModule } from '../src/credential-service.module';
import { CredentialEntity } from '../src/credentials/credential.entity';
import { credentialDataSourceSpec } from '../src/database/credential-data-source';

/**
 * A worker may claim only for runs of its own pool: credential-service (real, on PostgreSQL and
 * Redis) asks a fake plan-service which pool a run belongs to and refuses other pools' workers.
 */
describe('claims are limited to the worker pool of the run', () => {
  const tokens = { defaultPool: `w-default-${randomBytes(8).toString('hex')}`, eu: `w-eu-${randomBytes(8).toString('hex')}`, org: `org-${randomBytes(8).toString('hex')}` };
  const runs = new Map<string, RunClaimScope & { tenantId: string }>();
  const planLookups: string[] = [];
  let planService: Server;
  let app: INestApplication;
  let url = '';
  let prefix = '';
  const tenantId = randomUUID();
  const organizationId = randomUUID();
  const planId = randomUUID();

  beforeAll(async () => {
    await prepareTestDatabase(credentialDataSourceSpec);
    planService = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const tenant = String(req.headers[TENANT_HEADER] ?? '');
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${developmentServiceToken('credential-service')}`) return answer(401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'unknown token' });
      planLookups.push(path);
      const scope = /^\/internal\/runs\/([^/]+)\/claim-scope$/.exec(path);
      const run = scope ? runs.get(scope[1] ?? '') : undefined;
      if (scope) {
        if (!run || run.tenantId !== tenant) return answer(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'Run was not found' });
        return answer(200, { runId: run.runId, planId: run.planId, organizationId: run.organizationId, workerPool: run.workerPool });
      }
      const policy = /^\/internal\/plans\/([^/]+)\/credential-policy$/.exec(path);
      if (policy) {
        const body: PlanCredentialPolicy = { planId: policy[1] ?? '', organizationId, additionalCredentials: { enabled: false, credentialIds: [] } };
        return answer(200, body);
      }
      return answer(404, { type: 'about:blank', title: 'Not Found', status: 404, detail: 'no such route' });
    });
    await new Promise<void>((resolve) => planService.listen(0, '127.0.0.1', resolve));
    prefix = uniqueQueuePrefix('cred-pools');
    const port = await freePort();
    const config = loadConfig(credentialConfigSchema, {
      DATABASE_URL: TEST_DATABASE_URL,
      REPOVAULT_HTTP_PORT: String(port),
      REPOVAULT_QUEUE_PREFIX: prefix,
      REPOVAULT_PLAN_SERVICE_URL: `http://127.0.0.1:${(planService.address() as AddressInfo).port}`,
      REPOVAULT_PEER_TOKENS: `backup-worker=${tokens.defaultPool},backup-worker:eu=${tokens.eu},org-service=${tokens.org}`,
    });
    const runtime = new ServiceRuntime('credential-service', createLogger({ service: 'credential-service', level: 'silent' }));
    app = await bootstrapService(CredentialServiceModule.forRoot(config, runtime), { runtime, host: '127.0.0.1', port });
    url = `http://127.0.0.1:${port}`;
    const credentials = app.get<Repository<CredentialEntity>>(getRepositoryToken(CredentialEntity));
    await credentials.save(credentials.create({
      tenantId, organizationId, role: 'main', method: 'token', username: 'backup-bot', email: null, secretId: randomUUID(), provider: 'github',
      apiBaseUrl: 'https://api.github.com', organizationName: 'acme', identityKey: `github:api.github.com:user:${randomBytes(4).readUInt32BE()}`,
      identityLogin: 'backup-bot', tokenKind: 'classic', scopes: ['repo'], status: 'valid', statusReason: null, rateLimit: null,
      capabilities: { git: true, metadata: true }, lastUsedAt: null, removedAt: null,
    }));
  });

  afterAll(async () => {
    await app?.close();
    await new Promise<void>((resolve) => (planService ? planService.close(() => resolve()) : resolve()));
    await deleteRedisPrefix(prefix);
  });

  function runOfPool(workerPool: string, overrides: Partial<RunClaimScope> = {}): RunClaimScope {
    const scope = { runId: randomUUID(), planId, organizationId, workerPool, ...overrides };
    runs.set(scope.runId, { ...scope, tenantId });
    return scope;
  }

  async function post<T>(path: string, token: string, body: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, [TENANT_HEADER]: tenantId, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  const backupClaim = (run: RunClaimScope) => ({ purpose: 'backup', organizationId: run.organizationId, resource: 'core', runId: run.runId, planId: run.planId });

  it('hands candidates and leases to the workers of the run\'s pool', async () => {
    const eu = runOfPool('eu');
    const candidates = await post<ClaimCandidates>('/internal/claims/candidates', tokens.eu, backupClaim(eu));
    expect(candidates.status).toBe(200);
    expect(candidates.body.candidates).toHaveLength(1);
    const lease = await post<ClaimResponse>('/internal/claims', tokens.eu, backupClaim(eu));
    expect(lease).toMatchObject({ status: 200, body: { granted: true } });

    // a token bound to no pool serves the default pool
    const standard = runOfPool('default');
    expect((await post('/internal/claims/candidates', tokens.defaultPool, backupClaim(standard))).status).toBe(200);
    expect((await post('/internal/claims', tokens.defaultPool, backupClaim(standard))).status).toBe(200);
  });

  it('refuses a worker of another pool with a 403 that names both pools, on candidates and on claims', async () => {
    const eu = runOfPool('eu');
    for (const path of ['/internal/claims/candidates', '/internal/claims']) {
      const refused = await post<{ status: number; detail: string }>(path, tokens.defaultPool, backupClaim(eu));
      expect(refused.status).toBe(403);
      expect(refused.body.detail).toBe('A worker of the "default" pool may not claim for a run of the "eu" pool.');
    }
    const standard = runOfPool('default');
    const refused = await post<{ detail: string }>('/internal/claims/candidates', tokens.eu, backupClaim(standard));
    expect(refused).toMatchObject({ status: 403, body: { detail: 'A worker of the "eu" pool may not claim for a run of the "default" pool.' } });
  });

  it('refuses backup claims that name no run, an unknown run, or a run of another plan', async () => {
    const eu = runOfPool('eu');
    const withoutRun: Record<string, unknown> = backupClaim(eu);
    delete withoutRun['runId'];
    expect((await post('/internal/claims/candidates', tokens.eu, withoutRun)).status).toBe(403);
    expect((await post('/internal/claims/candidates', tokens.eu, { ...backupClaim(eu), runId: randomUUID() })).status).toBe(403);
    const otherPlan = runOfPool('eu', { planId: randomUUID() });
    const refused = await post<{ detail: string }>('/internal/claims/candidates', tokens.eu, { ...backupClaim(otherPlan), planId });
    expect(refused).toMatchObject({ status: 403, body: { detail: expect.stringMatching(/another plan/) } });
  });

  it('asks plan-service once per run: the pool of a run never changes', async () => {
    const eu = runOfPool('eu');
    const before = planLookups.filter((p) => p.includes(eu.runId)).length;
    for (let i = 0; i < 5; i++) expect((await post('/internal/claims', tokens.eu, backupClaim(eu))).status).toBe(200);
    expect(planLookups.filter((p) => p.includes(eu.runId)).length - before).toBe(1);
  });

  it('still lets org-service claim for discovery, which belongs to no pool', async () => {
    // granted or paced (the budget is fresh and conservative): either way an answer, not a refusal
    const answer = await post<ClaimResponse>('/internal/claims', tokens.org, { purpose: 'discovery', organizationId, resource: 'core' });
    expect(answer.status).toBe(200);
    expect(typeof answer.body.granted).toBe('boolean');
  });
});
