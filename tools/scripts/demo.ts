/**
 * `npm run demo`: the whole stack against the provider simulator. Starts the simulator (organization
 * `acme`, 50 repositories), the five services, creates a tenant, connects the organization with its
 * main credential and three additional ones, enables them in the default plan, runs it with a
 * progress bar and prints a summary. Exits 0 when every repository was backed up without a single
 * rate-limit refusal.
 */
import { createRepoVaultClient, type RepoVaultClient } from '@repovault/contracts/public-api';
import { demoSeed, startSimulator, type RunningSimulator } from '@repovault/testing/provider-simulator';
import { LocalStack, deleteRedisPrefix, migrateAll, workspaceRoot } from '@repovault/testing/support';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const env = process.env;
const databaseUrl = env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/repovault';
const redisUrl = env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const repositories = Number(env['DEMO_REPOSITORIES'] ?? 50);

function step(text: string): void {
  process.stdout.write(`• ${text}\n`);
}

function must<T>(result: { data?: T; error?: unknown; response: Response }, what: string): T {
  if (result.data === undefined) throw new Error(`${what} failed (${result.response.status}): ${JSON.stringify(result.error)}`);
  return result.data;
}

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const root = workspaceRoot();
  const dataDir = join(root, 'data', 'demo');
  mkdirSync(dataDir, { recursive: true });
  const prefix = `demo-${Date.now().toString(36)}`;
  const adminToken = `rvadm_${randomBytes(24).toString('base64url')}`;

  step('migrating the database');
  migrateAll(databaseUrl, root);
  step(`starting the provider simulator (GitHub, organization acme, ${repositories} repositories)`);
  const seed = demoSeed();
  const acme = seed.organizations[0];
  if (acme?.generate) acme.generate.count = repositories;
  const sim: RunningSimulator = await startSimulator({ seed });
  step('starting the five services');
  const stack = await LocalStack.start({
    databaseUrl, redisUrl, queuePrefix: prefix, adminToken,
    storageDir: join(dataDir, 'snapshots'),
    logDir: join(dataDir, 'logs', prefix),
    allowPrivateProviderUrls: true,
    env: { REPOVAULT_MIRROR_DIR: join(dataDir, 'mirrors') },
  });
  let exitCode: number | undefined;
  try {
    const operator = createRepoVaultClient(stack.gatewayUrl, { adminToken });
    const tenant = must(await operator.POST('/v1/tenants', { body: { name: 'demo' } }), 'creating the tenant');
    const api: RepoVaultClient = createRepoVaultClient(stack.gatewayUrl, { apiKey: tenant.apiKey });
    step(`tenant ${tenant.id} created`);

    const token = (name: string) => sim.tokens[name] ?? '';
    const org = must(await api.POST('/v1/organizations', {
      body: { provider: 'github', baseUrl: sim.github.baseUrl, name: 'acme', auth: { method: 'token', username: 'alice', secret: token('alice') } },
    }), 'connecting the organization');
    step(`organization acme connected: ${org.repositoryCount} repositories discovered`);

    const logins = new Map<string, string>();
    for (const name of ['bob', 'carol', 'dave']) {
      const credential = must(await api.POST('/v1/organizations/{organizationId}/credentials', {
        params: { path: { organizationId: org.id } }, body: { method: 'token', username: name, secret: token(name) },
      }), `adding ${name}'s credential`);
      logins.set(credential.id, name);
    }
    if (org.mainCredentialId) logins.set(org.mainCredentialId, 'alice (main)');
    step('additional credentials added: bob, carol, dave');

    let planId: string | null = null;
    for (let i = 0; i < 100 && !planId; i++) {
      planId = must(await api.GET('/v1/organizations/{id}', { params: { path: { id: org.id } } }), 'reading the organization').defaultPlanId;
      if (!planId) await new Promise((r) => setTimeout(r, 100));
    }
    if (!planId) throw new Error('the default plan was not created');
    must(await api.PATCH('/v1/plans/{id}', {
      params: { path: { id: planId } },
      body: { advanced: { additionalCredentials: { enabled: true, credentialIds: [...logins.keys()].filter((id) => id !== org.mainCredentialId) } } },
    }), 'enabling the additional credentials');
    step('default plan: additional credentials switched on for bob, carol and dave');

    const run = must(await api.POST('/v1/plans/{id}/runs', { params: { path: { id: planId } }, headers: { 'Idempotency-Key': `demo-${prefix}` } }), 'starting the run');
    step(`run ${run.id} started`);
    let current = must(await api.GET('/v1/runs/{id}', { params: { path: { id: run.id } } }), 'reading the run');
    const runStarted = Date.now();
    let shown = '';
    while (!['succeeded', 'partially-failed', 'failed', 'cancelled'].includes(current.status)) {
      const r = current.repositories;
      const line = `  ${bar(r.succeeded + r.failed + r.skipped, r.total)} ${current.status}`;
      if (line !== shown) process.stdout.write(process.stdout.isTTY ? `\r${line}   ` : `${line}\n`);
      shown = line;
      await new Promise((resolve) => setTimeout(resolve, 250));
      current = must(await api.GET('/v1/runs/{id}', { params: { path: { id: run.id } } }), 'reading the run');
    }
    const r = current.repositories;
    process.stdout.write(`\r  ${bar(r.succeeded + r.failed + r.skipped, r.total)} ${current.status}   \n`);
    const runSeconds = (Date.now() - runStarted) / 1000;

    let snapshots = 0;
    let bytes = 0;
    let cursor: string | undefined;
    do {
      const page = must(await api.GET('/v1/snapshots', { params: { query: { planId, limit: 200, cursor } } }), 'listing snapshots');
      snapshots += page.items.length;
      bytes += page.items.reduce((sum, s) => sum + s.sizeBytes, 0);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const stats = sim.stats();
    const violations = Object.values(stats.identities).reduce((sum, s) => sum + s.violations, 0);
    const providerRefusals = Object.values(stats.identities).reduce((sum, s) => sum + s.refusals, 0);

    const lines = [
      '',
      'Summary',
      `  repositories        ${r.succeeded} succeeded, ${r.failed} failed, ${r.skipped} skipped of ${r.total}`,
      `  snapshots           ${snapshots} (${megabytes(bytes)})`,
      `  API calls           ${current.apiCalls.total}`,
      ...Object.entries(current.apiCalls.byCredential).map(([id, n]) => `    ${(logins.get(id) ?? id).padEnd(16)}  ${n}`),
      `  rate-limit refusals ${current.throttle.refusals} (provider counted ${providerRefusals}, violations ${violations})`,
      `  throttle waits      ${(current.throttle.waitMs / 1000).toFixed(1)} s`,
      `  run time            ${runSeconds.toFixed(1)} s (whole demo ${((Date.now() - started) / 1000).toFixed(1)} s)`,
      `  snapshots stored in ${join(dataDir, 'snapshots')}`,
      `  service logs in     ${join(dataDir, 'logs', prefix)}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    exitCode = current.status === 'succeeded' && current.throttle.refusals === 0 && violations === 0 ? 0 : 1;
  } finally {
    await stack.stop();
    await sim.close();
    await deleteRedisPrefix(prefix, redisUrl);
  }
  process.exit(exitCode ?? 1);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
