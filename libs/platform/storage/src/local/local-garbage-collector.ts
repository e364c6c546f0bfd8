import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { GarbageCollectionOptions, GarbageCollectionResult } from '../snapshot-store';
import { ManifestNotFoundError } from '../storage-errors';
import { errorCode, forEachLimited } from './durable-fs';
import { OBJECT_FAN_OUT, OBJECT_REST, type LocalLayout } from './local-layout';
import type { LocalManifests } from './local-manifests';

/** Longer than any backup run is expected to take between its first file and its manifest. */
export const DEFAULT_GC_GRACE_MS = 24 * 60 * 60 * 1000;
const PARALLEL_IO = 32;

export interface LocalGarbageCollectionResult extends GarbageCollectionResult {
  /** abandoned temp files (crashed or stalled writers) removed; their bytes are in freedBytes */
  deletedTempFiles: number;
}

/**
 * Mark and sweep: every manifest is read first (a corrupt one aborts the run, since its references
 * are unknown), then objects that none references and that are older than the grace period are
 * unlinked. Writers refresh the mtime of an object they reuse, so "older than the grace period"
 * also covers content that an unpublished snapshot is about to reference again.
 */
export async function collectLocalGarbage(
  layout: LocalLayout,
  manifests: LocalManifests,
  options: GarbageCollectionOptions = {},
): Promise<LocalGarbageCollectionResult> {
  const graceMs = options.graceMs ?? DEFAULT_GC_GRACE_MS;
  if (!Number.isFinite(graceMs) || graceMs < 0) throw new RangeError(`graceMs must be a non-negative number, got ${graceMs}`);
  const cutoff = Date.now() - graceMs;

  const referenced = await referencedObjects(manifests);
  const result: LocalGarbageCollectionResult = { scannedObjects: 0, deletedObjects: 0, freedBytes: 0, deletedTempFiles: 0 };

  for (const fanOut of (await listDir(layout.objectsDir)).filter((name) => OBJECT_FAN_OUT.test(name))) {
    const dir = join(layout.objectsDir, fanOut);
    const names = (await listDir(dir)).filter((name) => OBJECT_REST.test(name));
    result.scannedObjects += names.length;
    await forEachLimited(names, PARALLEL_IO, async (name) => {
      if (referenced.has(fanOut + name)) return;
      const freed = await removeIfOlder(join(dir, name), cutoff);
      if (freed === undefined) return;
      result.deletedObjects += 1;
      result.freedBytes += freed;
    });
  }

  await forEachLimited(await listDir(layout.tmpDir), PARALLEL_IO, async (name) => {
    const freed = await removeIfOlder(join(layout.tmpDir, name), cutoff);
    if (freed === undefined) return;
    result.deletedTempFiles += 1;
    result.freedBytes += freed;
  });
  return result;
}

async function referencedObjects(manifests: LocalManifests): Promise<Set<string>> {
  const referenced = new Set<string>();
  for (const repositoryId of await manifests.repositoryIds()) {
    await forEachLimited(await manifests.snapshotIds(repositoryId), PARALLEL_IO, async (snapshotId) => {
      try {
        for (const file of (await manifests.read(repositoryId, snapshotId)).files) referenced.add(file.sha256);
      } catch (error) {
        // deleted by retention while we listed: it references nothing any more
        if (!(error instanceof ManifestNotFoundError)) throw error;
      }
    });
  }
  return referenced;
}

/** The age is checked immediately before unlinking, to keep the race with a writer refreshing the object as short as possible. */
async function removeIfOlder(path: string, cutoff: number): Promise<number | undefined> {
  try {
    const info = await lstat(path);
    if (!info.isFile() || info.mtimeMs > cutoff) return undefined;
    await unlink(path);
    // a temp name left behind after its object was published shares the object's inode: nothing is freed
    return info.nlink > 1 ? 0 : info.size;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined; // another collector got there first
    throw error;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
}
