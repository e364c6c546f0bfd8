import type { SnapshotStore } from '@repovault/platform/storage';
import { metadataRecordKey } from '@repovault/providers/core';
import { createReadStream, createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * Merges the records an incremental export wrote (`deltaPath`, NDJSON, possibly absent) into the
 * previous snapshot's file of the same kind (`previousSha256` in the store): a record whose key
 * (`metadataRecordKey`) came again is replaced where it stood, new ones are appended in the order
 * the provider sent them. Returns how many records the merged file holds.
 */
export async function mergeMetadataFile(store: SnapshotStore, previousSha256: string, deltaPath: string | null, outPath: string): Promise<number> {
  const delta = deltaPath && existsSync(deltaPath) ? await readDelta(deltaPath) : { byKey: new Map<string, string>(), order: [] as string[] };
  const out = createWriteStream(outPath);
  let count = 0;
  try {
    for await (const line of lines(await store.openVerified(previousSha256) as Readable)) {
      const key = metadataRecordKey(JSON.parse(line));
      const replacement = key === null ? undefined : delta.byKey.get(key);
      if (key !== null && replacement !== undefined) delta.byKey.delete(key);
      await write(out, replacement ?? line);
      count++;
    }
    for (const line of delta.order) {
      const key = metadataRecordKey(JSON.parse(line));
      const newest = key === null ? line : delta.byKey.get(key);
      if (newest === undefined) continue; // replaced in place above, or a key sent twice: written once
      if (key !== null) delta.byKey.delete(key);
      await write(out, newest);
      count++;
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  }
  return count;
}

async function readDelta(path: string): Promise<{ byKey: Map<string, string>; order: string[] }> {
  const byKey = new Map<string, string>();
  const order: string[] = [];
  for await (const line of lines(createReadStream(path))) {
    const key = metadataRecordKey(JSON.parse(line));
    if (key !== null) byKey.set(key, line); // the last copy wins: it is the newest
    order.push(line);
  }
  return { byKey, order };
}

async function* lines(input: Readable): AsyncGenerator<string> {
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of reader) if (line.length > 0) yield line;
  } finally {
    reader.close();
    input.destroy();
  }
}

async function write(out: WriteStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', resolve));
}
