import { freePort, waitUntil } from '@repovault/testing/support';
import { Redis } from 'ioredis';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRedisDurability } from '../src/redis-durability';

describe('checkRedisDurability', () => {
  it('passes a durable Redis, names what to fix on one without AOF or with an evicting policy, and claims nothing when CONFIG is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rv-aof-'));
    const port = await freePort();
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--dir', dir, '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    try {
      await waitUntil(async () => (await client.ping().catch(() => '')) === 'PONG', { what: 'redis-server with AOF' });
      expect(await checkRedisDurability(client)).toEqual({ appendonly: 'yes', maxmemoryPolicy: 'noeviction', problems: [] });

      await client.call('CONFIG', 'SET', 'appendonly', 'no');
      await client.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      const loose = await checkRedisDurability(client);
      expect(loose).toMatchObject({ appendonly: 'no', maxmemoryPolicy: 'allkeys-lru' });
      expect(loose.problems).toEqual([expect.stringMatching(/set appendonly yes/), expect.stringMatching(/set maxmemory-policy noeviction/)]);

      // a managed Redis that refuses CONFIG: nothing can be read, so nothing is claimed
      await client.call('ACL', 'SETUSER', 'app', 'on', '>app-password', '~*', '&*', '+@all', '-config');
      const restricted = new Redis({ host: '127.0.0.1', port, username: 'app', password: 'app-password' });
      try {
        expect(await checkRedisDurability(restricted)).toEqual({ appendonly: null, maxmemoryPolicy: null, problems: [] });
      } finally {
        restricted.disconnect();
      }
    } finally {
      client.disconnect();
      await new Promise<void>((resolve) => {
        if (server.exitCode !== null) return resolve();
        server.once('exit', () => resolve());
        server.kill('SIGKILL');
      });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
