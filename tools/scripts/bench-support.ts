import { createRepoVaultClient, type RepoVaultClient, type Schemas } from '@repovault/contracts/public-api';
import type { RunningSimulator } from '@repovault/testing/provider-simulator';
import { LocalStack, type LocalStackOptions, deleteRedisPrefix, migrateAll, workspaceRoot } from '@repovault/testing/support';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/repovault_bench';
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface BenchStack {
  stack: LocalStack;
  api: RepoVaultClient;
  prefix: string;
  storageDir: string;
  close(): Promise<void>;
}

/** The whole stack on its own queue prefix and storage, with a tenant, for a benchmark. */
export async function startBenchStack(options: Partial<LocalStackOptions> = {}): Promise<BenchStack> {
  const root = workspaceRoot();
  migrateAll(DATABASE_URL, root);
  const dir = mkdtempSync(join(tmpdir(), 'rv-bench-'));
  const prefix = `bench-${randomBytes(4).toString('hex')}`;
  const adminToken = `rvadm_${randomBytes(16).toString('hex')}`;
  const stack = await LocalStack.start({
    databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, queuePrefix: prefix, adminToken,
    storageDir: join(dir, 'snapshots'), logDir: join(dir, 'logs'), allowPrivateProviderUrls: true,
    ...options,
    env: { REPOVAULT_MIRROR_DIR: join(dir, 'mirrors'), LOG_LEVEL: 'warn', ...options.env },
  });
  const operator = createRepoVaultClient(stack.gatewayUrl, { adminToken });
  const tenant = (await operator.POST('/v1/tenants', { body: { name: prefix } })).data;
  if (!tenant) throw new Error('tenant creation failed');
  return {
    stack,
    api: createRepoVaultClient(stack.gatewayUrl, { apiKey: tenant.apiKey }),
    prefix,
    storageDir: join(dir, 'snapshots'),
    async close() {
      await stack.stop();
      await deleteRedisPrefix(prefix, REDIS_URL);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Connects the simulator's acme with `main` (alice) and the given additional accounts, enabled in the default plan. */
export async function connectAcme(api: RepoVaultClient, sim: RunningSimulator, additional: string[], main = 'alice'): Promise<{ organizationId: string; planId: string; logins: Map<string, string> }> {
  const org = (await api.POST('/v1/organizations', {
    body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: main, secret: sim.tokens[main] ?? '' } },
  }));
  if (!org.data) throw new Error(`organization: ${JSON.stringify(org.error)}`);
  const logins = new Map<string, string>([[org.data.mainCredentialId ?? '', main]]);
  const ids: string[] = [];
  for (const name of additional) {
    const added = await api.POST('/v1/organizations/{organizationId}/credentials', {
      params: { path: { organizationId: org.data.id } }, body: { method: 'token', secret: sim.tokens[name] ?? '' },
    });
    if (!added.data) throw new Error(`credential ${name}: ${JSON.stringify(added.error)}`);
    ids.push(added.data.id);
    logins.set(added.data.id, name);
  }
  let planId: string | null = null;
  for (let i = 0; i < 200 && !planId; i++) {
    planId = (await api.GET('/v1/organizations/{id}', { params: { path: { id: org.data.id } } })).data?.defaultPlanId ?? null;
    if (!planId) await new Promise((r) => setTimeout(r, 50));
  }
  if (!planId) throw new Error('no default plan');
  if (ids.length) {
    await api.PATCH('/v1/plans/{id}', { params: { path: { id: planId } }, body: { advanced: { additionalCredentials: { enabled: true, credentialIds: ids } } } });
  }
  return { organizationId: org.data.id, planId, logins };
}

export async function runAndWait(api: RepoVaultClient, planId: string, onTick?: () => void): Promise<{ run: Schemas['RunView']; seconds: number }> {
  const started = Date.now();
  const created = await api.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } } });
  if (!created.data) throw new Error(`run: ${JSON.stringify(created.error)}`);
  for (;;) {
    onTick?.();
    const run = (await api.GET('/v1/runs/{id}', { params: { path: { id: created.data.id } } })).data;
    if (run && ['succeeded', 'partially-failed', 'failed', 'cancelled'].includes(run.status)) return { run, seconds: (Date.now() - started) / 1000 };
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

export async function snapshotBytes(api: RepoVaultClient, planId: string, runId: string): Promise<{ total: number; added: number; count: number }> {
  let total = 0;
  let added = 0;
  let count = 0;
  let cursor: string | undefined;
  do {
    const page = (await api.GET('/v1/snapshots', { params: { query: { planId, limit: 200, cursor } } })).data;
    for (const s of page?.items ?? []) {
      if (s.runId !== runId) continue;
      total += s.sizeBytes;
      added += s.newBytes;
      count++;
    }
    cursor = page?.nextCursor ?? undefined;
  } while (cursor);
  return { total, added, count };
}
