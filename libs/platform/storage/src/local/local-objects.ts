import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rename, stat, utimes } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { StoredFile } from '../snapshot-store';
import { ChecksumMismatchError, ObjectNotFoundError } from '../storage-errors';
import { createVerifyingStream } from '../verifying-stream';
import { ensureDirectory, errorCode, fsyncDirectory, linkNoReplace, READ_ONLY, removeIfPresent, writeAll, writeDurably } from './durable-fs';
import type { LocalLayout } from './local-layout';

const READ_CHUNK = 1024 * 1024;

export type ObjectSource = NodeJS.ReadableStream | AsyncIterable<Uint8Array>;

/**
 * The content-addressed half of the local store. An object becomes visible only by link(2) of a
 * complete, fsynced temp file, so readers never see a partial object and a crash leaves at most a
 * temp file that garbage collection removes later.
 */
export class LocalObjects {
  constructor(
    private readonly layout: LocalLayout,
    private readonly ready: () => Promise<void>,
  ) {}

  async putStream(source: ObjectSource): Promise<StoredFile> {
    const chunks = startReading(source);
    const tempPath = this.layout.newTempPath('object');
    try {
      await this.ready();
      const stored = await this.writeTemp(tempPath, chunks);
      await this.publish(tempPath, stored);
      return stored;
    } finally {
      chunks.return();
      await removeIfPresent(tempPath);
    }
  }

  putFile(path: string): Promise<StoredFile> {
    return this.putStream(createReadStream(path, { highWaterMark: READ_CHUNK }));
  }

  async putBuffer(data: Buffer | string): Promise<StoredFile> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const stored = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
    await this.ready();
    if (await this.refreshExisting(stored)) return stored;
    const tempPath = this.layout.newTempPath('object');
    try {
      await writeDurably(tempPath, bytes);
      await this.publish(tempPath, stored);
      return stored;
    } finally {
      await removeIfPresent(tempPath);
    }
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== undefined;
  }

  /** size of the stored object, or undefined when absent */
  async size(sha256: string): Promise<number | undefined> {
    try {
      return (await stat(this.layout.objectPath(sha256))).size;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  async openVerified(sha256: string): Promise<NodeJS.ReadableStream> {
    const path = this.layout.objectPath(sha256);
    // opened here, not lazily, so a missing object rejects this promise instead of erroring mid-stream
    const handle = await open(path, 'r').catch((error: unknown) => {
      throw errorCode(error) === 'ENOENT' ? new ObjectNotFoundError(sha256) : error;
    });
    const verifier = createVerifyingStream(sha256);
    // pipeline forwards read errors to the verifier and closes the file if the consumer gives up early
    pipeline(handle.createReadStream({ highWaterMark: READ_CHUNK }), verifier, () => undefined);
    return verifier;
  }

  async readVerified(sha256: string): Promise<Buffer> {
    const data = await readFile(this.layout.objectPath(sha256)).catch((error: unknown) => {
      throw errorCode(error) === 'ENOENT' ? new ObjectNotFoundError(sha256) : error;
    });
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== sha256) throw new ChecksumMismatchError(sha256, actual);
    return data;
  }

  /** Hashes while writing: one pass over the data, whatever its size. */
  private async writeTemp(tempPath: string, source: AsyncIterable<Uint8Array | string>): Promise<StoredFile> {
    const handle = await open(tempPath, 'wx', READ_ONLY);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      // each chunk is hashed and written before the next is pulled, so a producer that reuses its
      // buffer cannot make the written bytes differ from the hashed ones
      for await (const chunk of source) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(data);
        await writeAll(handle, data);
        bytes += data.byteLength;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { sha256: hash.digest('hex'), bytes };
  }

  /**
   * Links the temp file in under its sha256. When another writer got there first, its object is kept
   * (same name, so same content) unless its size shows it is damaged, in which case ours replaces it.
   */
  private async publish(tempPath: string, stored: StoredFile): Promise<void> {
    const target = this.layout.objectPath(stored.sha256);
    await ensureDirectory(this.layout.objectDir(stored.sha256));
    for (;;) {
      if ((await linkNoReplace(tempPath, target)) === 'published') return;
      if (await this.refreshExisting(stored)) return;
      const size = await this.size(stored.sha256);
      if (size === undefined) continue; // collected between our link and our check: link again
      await rename(tempPath, target);
      await fsyncDirectory(this.layout.objectDir(stored.sha256));
      return;
    }
  }

  /**
   * True when an intact-looking object is already stored; its mtime is refreshed so garbage
   * collection treats it as new while the snapshot that now reuses it is not yet published.
   */
  private async refreshExisting(stored: StoredFile): Promise<boolean> {
    const path = this.layout.objectPath(stored.sha256);
    const size = await this.size(stored.sha256);
    if (size !== stored.bytes) return false;
    const now = new Date();
    try {
      await utimes(path, now, now);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return false;
      // another pod's user owns the file: it cannot be touched, the grace period must cover the run
      if (code !== 'EPERM' && code !== 'EACCES') throw error;
    }
    return true;
  }
}

interface StartedSource extends AsyncIterable<Uint8Array | string> {
  /** releases the source (closes a stream) if it was not read to the end */
  return(): void;
}

/**
 * Asks for the first chunk at once. A Node stream attaches its error listeners only when reading
 * starts, so one that fails while we are still opening the temp file (a missing file, a refused
 * connection) would otherwise emit an unhandled 'error' and take the process down.
 */
function startReading(source: ObjectSource): StartedSource {
  const iterator = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  let first: Promise<IteratorResult<Uint8Array | string>> | undefined = iterator.next();
  first.catch(() => undefined); // observed when the loop awaits it
  let finished = false;
  const next = async (): Promise<IteratorResult<Uint8Array | string>> => {
    const pending = first ?? iterator.next();
    first = undefined;
    try {
      const result = await pending;
      finished ||= result.done === true;
      return result;
    } catch (error) {
      finished = true;
      throw error;
    }
  };
  return {
    [Symbol.asyncIterator]: () => ({ next }),
    return() {
      if (finished) return;
      finished = true;
      // destroy rather than await return(): a generator's return() waits behind a pending read, which an idle source may never answer
      if (isDestroyable(source)) source.destroy();
      else void Promise.resolve(iterator.return?.()).catch(() => undefined);
    },
  };
}

function isDestroyable(source: ObjectSource): source is ObjectSource & { destroy(): void } {
  return typeof (source as { destroy?: unknown }).destroy === 'function';
}
