/**
 * `npm start`: migrates, starts the five services, waits until each is ready, prints their URLs and
 * serves until stopped (Ctrl-C). PostgreSQL and Redis were ensured by tools/ensure-services.sh.
 */
import { DEFAULT_PORTS } from '@repovault/platform/config';
import { APP_NAMES, LocalStack, migrateAll, workspaceRoot } from '@repovault/testing/support';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';

async function main(): Promise<void> {
  const root = workspaceRoot();
  const env = process.env;
  const databaseUrl = env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/repovault';
  const adminToken = env['REPOVAULT_ADMIN_TOKEN'] ?? `rvadm_${randomBytes(24).toString('base64url')}`;
  migrateAll(databaseUrl, root);
  const stack = await LocalStack.start({
    databaseUrl,
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    queuePrefix: env['REPOVAULT_QUEUE_PREFIX'] ?? 'repovault',
    storageDir: resolve(env['STORAGE_DIR'] ?? join(root, 'data', 'snapshots')),
    logDir: join(root, 'data', 'logs'),
    adminToken,
    ports: { ...DEFAULT_PORTS, 'api-gateway': Number(env['REPOVAULT_GATEWAY_PORT'] ?? DEFAULT_PORTS['api-gateway']) },
    allowPrivateProviderUrls: env['REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS'] === 'true',
  });
  const lines = APP_NAMES.map((app) => `  ${app.padEnd(20)} ${stack.urlOf(app)}`);
  process.stdout.write(
    [
      '',
      'RepoVault is running:',
      ...lines,
      '',
      `  public API            ${stack.gatewayUrl}/v1   (OpenAPI: ${stack.gatewayUrl}/openapi.json, docs: ${stack.gatewayUrl}/docs)`,
      env['REPOVAULT_ADMIN_TOKEN'] ? '  operator token        (from REPOVAULT_ADMIN_TOKEN)' : `  operator token        ${adminToken}   (generated for this run)`,
      `  logs                  ${join(root, 'data', 'logs')}`,
      '',
      `Create a tenant: curl -X POST ${stack.gatewayUrl}/v1/tenants -H 'X-Admin-Token: <operator token>' -H 'content-type: application/json' -d '{"name":"acme"}'`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping…\n');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // npm does not always pass signals on: stop when the parent goes away
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop();
  }, 1_000).unref();
  for (const proc of stack.processes) {
    proc.child.once('exit', (code, signal) => {
      if (!stopping) process.stderr.write(`${proc.name} exited (${signal ?? code}); see ${proc.log}\n`);
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
