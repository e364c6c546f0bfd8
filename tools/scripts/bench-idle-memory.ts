/**
 * `npm run bench:memory`: starts the five services, lets them idle, and prints each one's resident
 * memory (VmRSS) and heap as reported by /proc and /metrics.
 */
import { LOCAL_REDIS, LocalStack, TEST_DATABASE_URL, deleteRedisPrefix, migrateAll, uniqueQueuePrefix } from '@repovault/testing/support';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function main(): Promise<void> {
  const idleSeconds = Number(process.argv[2] ?? 20);
  migrateAll(TEST_DATABASE_URL);
  const dir = mkdtempSync(join(tmpdir(), 'rv-mem-'));
  const prefix = uniqueQueuePrefix('mem');
  const stack = await LocalStack.start({
    databaseUrl: TEST_DATABASE_URL, redisUrl: LOCAL_REDIS, queuePrefix: prefix, storageDir: join(dir, 's'), logDir: join(dir, 'logs'), adminToken: 'bench-admin-token',
  });
  try {
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    process.stdout.write(`idle resident memory after ${idleSeconds} s (Node ${process.version}):\n`);
    for (const proc of stack.processes) {
      const metrics = await (await fetch(`${proc.url}/metrics`)).text();
      const heap = Number(/^nodejs_heap_size_used_bytes\{[^}]*\} ([\d.e+]+)/m.exec(metrics)?.[1] ?? 0) / 1024 / 1024;
      process.stdout.write(`  ${proc.name.padEnd(20)} RSS ${rssMb(proc.child.pid ?? 0).toFixed(1).padStart(6)} MB   heap used ${heap.toFixed(1).padStart(5)} MB\n`);
    }
  } finally {
    await stack.stop();
    await deleteRedisPrefix(prefix);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
