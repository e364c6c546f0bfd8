import { freePort, waitUntil, workspaceRoot } from '@repovault/testing/support';
import { Redis } from 'ioredis';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The migrations hook's first step: `check-redis` stops an install on a Redis that would lose the queues. */
describe('check-redis', () => {
  let server: ChildProcess;
  let port: number;
  let dir: string;
  let admin: Redis;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rv-check-redis-'));
    port = await freePort();
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir, '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 100 });
    admin.on('error', () => undefined);
    await waitUntil(async () => (await admin.ping().catch(() => '')) === 'PONG', { what: 'redis-server with AOF' });
  });

  afterAll(async () => {
    admin?.disconnect();
    await new Promise<void>((resolve) => (server.exitCode !== null ? resolve() : (server.once('exit', () => resolve()), server.kill('SIGKILL'))));
    rmSync(dir, { recursive: true, force: true });
  });

  const check = (redisUrl: string) => {
    const result = spawnSync(process.execPath, ['-r', '@swc-node/register', join(workspaceRoot(), 'apps/plan-service/src/check-redis.ts')], {
      cwd: workspaceRoot(), encoding: 'utf8', timeout: 60_000,
      env: { PATH: process.env['PATH'], TS_NODE_PROJECT: join(workspaceRoot(), 'tsconfig.base.json'), REPOVAULT_ENV: 'production', REDIS_URL: redisUrl },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('passes a Redis with AOF and noeviction', () => {
    expect(check(`redis://127.0.0.1:${port}`)).toEqual({ status: 0, output: 'Redis: appendonly yes, maxmemory-policy noeviction\n' });
  });

  it('fails, saying what to set, on a Redis without AOF; and fails on one it cannot reach', async () => {
    await admin.call('CONFIG', 'SET', 'appendonly', 'no');
    try {
      const loose = check(`redis://127.0.0.1:${port}`);
      expect(loose.status).toBe(1);
      expect(loose.output).toMatch(/appendonly is "no".*set appendonly yes \(AOF\)/);
    } finally {
      await admin.call('CONFIG', 'SET', 'appendonly', 'yes');
    }
    const away = check(`redis://127.0.0.1:${await freePort()}`);
    expect(away.status).toBe(1);
    expect(away.output).toMatch(/Redis cannot be reached/);
  });
});
