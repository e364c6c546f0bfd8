/**
 * Child process for the concurrent-put test: puts deterministic content into a shared store once
 * the parent says "go", so several processes race on the same object. In "crash" mode it kills
 * itself with SIGKILL halfway through, as a pod losing its node would.
 * argv: <rootDir> <seed> <bytes> <put|crash>
 */
import { createLocalSnapshotStore } from '../../src';
import { deterministicChunks } from './deterministic-content';

const [rootDir, seed, size, mode] = process.argv.slice(2) as [string, string, string, 'put' | 'crash'];
const total = Number(size);

async function* content(): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (const chunk of deterministicChunks(seed, total)) {
    if (mode === 'crash' && sent >= total / 2) process.kill(process.pid, 'SIGKILL');
    yield chunk;
    sent += chunk.byteLength;
    // give the other processes a turn so their writes interleave with ours
    await new Promise((resolve) => setImmediate(resolve));
  }
}

process.once('message', () => {
  createLocalSnapshotStore(rootDir)
    .putStream(content())
    .then(
      (stored) => process.send?.({ ok: true, stored }, () => process.exit(0)),
      (error: unknown) => process.send?.({ ok: false, error: String(error) }, () => process.exit(1)),
    );
});
process.send?.({ ready: true });
