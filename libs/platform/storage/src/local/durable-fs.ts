import { link, mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UnsupportedStorageError } from '../storage-errors';

/** Objects and manifests are never modified in place, so nothing needs write permission on them. */
export const READ_ONLY = 0o444;

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/**
 * Makes a directory entry (a link, rename or unlink) survive a crash; without it a published object
 * or manifest can vanish after power loss even though its data was fsynced. Some filesystems cannot
 * fsync a directory; they give no stronger guarantee we could ask for, so that is not an error.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF', 'ENOTSUP'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Publishes a complete temp file under `target` unless `target` exists. link(2), unlike rename(2),
 * fails instead of replacing, which is what makes "first writer wins, nobody overwrites" atomic
 * even across pods sharing a volume. The temp name is left for the caller to remove.
 */
export async function linkNoReplace(tempPath: string, target: string): Promise<'published' | 'exists'> {
  try {
    await link(tempPath, target);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return 'exists';
    if (code === 'ENOENT') {
      throw new Error(`temp file ${tempPath} disappeared before it was published (removed by garbage collection after a stall longer than its grace period?)`, { cause: error });
    }
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EXDEV' || code === 'EMLINK') {
      throw new UnsupportedStorageError(
        `the snapshot store needs hard links within one filesystem to publish atomically without overwriting (link failed with ${code} in ${dirname(target)})`,
      );
    }
    throw error;
  }
  await fsyncDirectory(dirname(target));
  return 'published';
}

/** Writes a small file completely and fsyncs it; `wx` because temp names are never reused. */
export async function writeDurably(path: string, data: Buffer | string, mode = READ_ONLY): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

export async function removeIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Creates `dir` if needed; a new directory's entry is made durable too, or a crash could orphan what is linked into it. */
export async function ensureDirectory(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated !== undefined) await fsyncDirectory(dirname(firstCreated));
}

/** Runs `task` over `items` with at most `limit` in flight: stats of thousands of LFS objects must not exhaust file descriptors. */
export async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(lanes);
}
