import { createHash } from 'node:crypto';
import { chmod, readdir, readlink, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ChecksumMismatchError, ObjectNotFoundError } from '../storage-errors';
import { deterministicBuffer, deterministicChunks } from '../../test/support/deterministic-content';
import { createTempStore, objectPath, type TempStore } from '../../test/support/temp-store';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function allObjects(root: string): Promise<string[]> {
  const entries = await readdir(join(root, 'objects'), { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/** Overwrites a stored object in place, as bit rot or an intruder would. */
async function tamper(root: string, hash: string, content: Buffer | string): Promise<void> {
  const path = objectPath(root, hash);
  await chmod(path, 0o644);
  await writeFile(path, content);
}

/** Linux: how many of this process's descriptors are open on `path`. */
async function openDescriptorsOf(path: string): Promise<number> {
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets.filter((target) => target === path).length;
}

describe('local snapshot store: objects', () => {
  let temp: TempStore;

  beforeEach(async () => {
    temp = await createTempStore();
  });
  afterEach(() => temp.remove());

  it('stores content under its sha256, fanned out by the first two hex characters, read-only', async () => {
    const stored = await temp.store.putBuffer('hello\n');
    expect(stored).toEqual({ sha256: sha256('hello\n'), bytes: 6 });
    const info = await stat(objectPath(temp.root, stored.sha256));
    expect(info.mode & 0o777).toBe(0o444);
    expect(info.size).toBe(6);
    expect(await temp.store.has(stored.sha256)).toBe(true);
    expect(await temp.store.has(sha256('other'))).toBe(false);
  });

  it('stores the same content once, whichever way it is put', async () => {
    const data = deterministicBuffer('dedupe', 3 * 1024 * 1024 + 17);
    const source = join(temp.root, 'source.bin');
    await writeFile(source, data);

    const results = [
      await temp.store.putBuffer(data),
      await temp.store.putFile(source),
      await temp.store.putStream(Readable.from(deterministicChunks('dedupe', data.byteLength, 100_000))),
      await temp.store.putStream(asAsync(deterministicChunks('dedupe', data.byteLength, 4096))),
    ];
    for (const result of results) expect(result).toEqual({ sha256: sha256(data), bytes: data.byteLength });
    expect(await allObjects(temp.root)).toHaveLength(1);
    expect(await readdir(join(temp.root, 'tmp'))).toEqual([]);
  });

  it('keeps an existing object rather than rewriting it', async () => {
    const first = await temp.store.putBuffer('keep me');
    const before = await stat(objectPath(temp.root, first.sha256));
    await temp.store.putStream(Readable.from(['keep ', 'me']));
    const after = await stat(objectPath(temp.root, first.sha256));
    expect(after.ino).toBe(before.ino);
  });

  it('refreshes the mtime of reused content, so garbage collection sees it as in use', async () => {
    const { sha256: hash } = await temp.store.putBuffer('reused');
    const path = objectPath(temp.root, hash);
    const old = new Date(Date.now() - 7 * 86_400_000);
    await utimes(path, old, old);
    await temp.store.putBuffer('reused');
    expect((await stat(path)).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('replaces an existing object whose size shows it is damaged', async () => {
    const { sha256: hash } = await temp.store.putBuffer('complete content');
    await tamper(temp.root, hash, 'compl');
    await temp.store.putStream(Readable.from([Buffer.from('complete content')]));
    expect((await temp.store.readVerified(hash)).toString()).toBe('complete content');
  });

  it('handles empty content', async () => {
    const stored = await temp.store.putStream(Readable.from([]));
    expect(stored).toEqual({ sha256: sha256(''), bytes: 0 });
    expect(await temp.store.readVerified(stored.sha256)).toEqual(Buffer.alloc(0));
  });

  it('leaves no object and no temp file when the source fails mid-stream', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('partial');
      throw new Error('connection reset');
    }
    await expect(temp.store.putStream(failing())).rejects.toThrow('connection reset');
    await expect(temp.store.putFile(join(temp.root, 'missing.bin'))).rejects.toThrow(/ENOENT/);
    const early = new Readable({ read: () => undefined });
    process.nextTick(() => early.destroy(new Error('refused before the first byte')));
    await expect(temp.store.putStream(early)).rejects.toThrow('refused before the first byte');
    expect(await allObjects(temp.root)).toEqual([]);
    expect(await readdir(join(temp.root, 'tmp'))).toEqual([]);
  });

  it('closes a stream source it gave up on', async () => {
    const { sha256: hash } = await temp.store.putBuffer('x');
    // the temp file cannot be created (a file where the directory should be; chmod does not stop root)
    await rm(join(temp.root, 'tmp'), { recursive: true });
    await writeFile(join(temp.root, 'tmp'), '');
    const idle = new Readable({ read: () => undefined }); // never sends a byte
    await expect(temp.store.putStream(idle)).rejects.toThrow(/ENOTDIR/);
    expect(idle.destroyed).toBe(true);
    expect(await temp.store.has(hash)).toBe(true);
  });

  it('reads back verified content, buffered or streamed', async () => {
    const data = deterministicBuffer('read', 2 * 1024 * 1024 + 5);
    const { sha256: hash } = await temp.store.putBuffer(data);
    expect((await temp.store.readVerified(hash)).equals(data)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const chunk of await temp.store.openVerified(hash)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
  });

  it('fails verified reads of an object whose bytes were tampered with', async () => {
    const { sha256: hash } = await temp.store.putBuffer('original bytes');
    await tamper(temp.root, hash, 'tampered bytes'); // same length: only the hash can tell

    await expect(temp.store.readVerified(hash)).rejects.toBeInstanceOf(ChecksumMismatchError);
    const stream = await temp.store.openVerified(hash);
    await expect(text(stream)).rejects.toMatchObject({ code: 'STORAGE_CHECKSUM_MISMATCH', expectedSha256: hash, actualSha256: sha256('tampered bytes') });
  });

  it('reports a missing object as ObjectNotFoundError', async () => {
    const hash = sha256('never stored');
    await expect(temp.store.readVerified(hash)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(temp.store.openVerified(hash)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('closes the file when a reader stops early', async () => {
    const { sha256: hash } = await temp.store.putBuffer(deterministicBuffer('early', 4 * 1024 * 1024));
    const path = objectPath(temp.root, hash);
    const stream = (await temp.store.openVerified(hash)) as Readable;
    await new Promise((resolve) => stream.once('data', resolve));
    expect(await openDescriptorsOf(path)).toBe(1);
    stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await openDescriptorsOf(path)).toBe(0);
  });
});
