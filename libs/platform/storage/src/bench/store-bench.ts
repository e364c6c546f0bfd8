/**
 * Throughput of the local snapshot store: puts ~1 GB across files of several sizes (streamed from
 * memory, so the source costs nothing), then reads every file back through openVerified, and prints
 * MB/s per size class and overall. Not part of the test suite: timings belong in a report, not an
 * assertion. Reads right after writes are mostly served from the page cache; see the note printed.
 * Run: node -r @swc-node/register libs/platform/storage/src/bench/store-bench.ts [dir]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSnapshotStore } from '../local/local-snapshot-store';
import type { StoredFile } from '../snapshot-store';

const MiB = 1024 * 1024;
const CHUNK = MiB;
const CLASSES = [
  { label: '256 MiB', size: 256 * MiB, count: 2 },
  { label: '32 MiB', size: 32 * MiB, count: 8 },
  { label: '2 MiB', size: 2 * MiB, count: 64 },
  { label: '128 KiB', size: 128 * 1024, count: 512 },
];

const pool = randomBytes(16 * MiB);

/** Unique content per file (its index up front) without paying for random generation per byte. */
async function* fileContent(index: number, size: number): AsyncGenerator<Uint8Array> {
  const header = Buffer.alloc(32);
  header.writeUInt32BE(index);
  header.write('repovault-bench', 4);
  yield header;
  let sent = header.byteLength;
  let offset = (index * 4099) % (pool.byteLength - CHUNK);
  while (sent < size) {
    const length = Math.min(CHUNK, size - sent);
    yield pool.subarray(offset, offset + length);
    sent += length;
    offset = (offset + length) % (pool.byteLength - CHUNK);
  }
}

async function drain(stream: NodeJS.ReadableStream): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).byteLength;
  return bytes;
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
const mbps = (bytes: number, secs: number) => (bytes / 1e6 / secs).toFixed(0).padStart(6);

async function main(): Promise<void> {
  const root = await mkdtemp(join(process.argv[2] ?? tmpdir(), 'repovault-store-bench-'));
  const store = createLocalSnapshotStore(root);
  let index = 0;
  let totalBytes = 0;
  let totalPut = 0;
  let totalRead = 0;
  console.log(`store: ${root}\n\nclass       files      bytes   put MB/s  read MB/s`);
  try {
    for (const { label, size, count } of CLASSES) {
      const stored: StoredFile[] = [];
      const putStarted = process.hrtime.bigint();
      for (let i = 0; i < count; i++) stored.push(await store.putStream(fileContent(index++, size)));
      const putSecs = seconds(putStarted);

      const readStarted = process.hrtime.bigint();
      let readBytes = 0;
      for (const file of stored) readBytes += await drain(await store.openVerified(file.sha256));
      const readSecs = seconds(readStarted);

      const bytes = stored.reduce((sum, file) => sum + file.bytes, 0);
      if (readBytes !== bytes) throw new Error(`read ${readBytes} bytes, stored ${bytes}`);
      totalBytes += bytes;
      totalPut += putSecs;
      totalRead += readSecs;
      console.log(`${label.padEnd(10)} ${String(count).padStart(6)} ${String(bytes).padStart(10)}     ${mbps(bytes, putSecs)}     ${mbps(bytes, readSecs)}`);
    }
    console.log(`${'all'.padEnd(10)} ${String(index).padStart(6)} ${String(totalBytes).padStart(10)}     ${mbps(totalBytes, totalPut)}     ${mbps(totalBytes, totalRead)}`);
    console.log('\nput = hash + write + fsync + link per file; read = openVerified drained (sha256 checked), mostly from the page cache');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
