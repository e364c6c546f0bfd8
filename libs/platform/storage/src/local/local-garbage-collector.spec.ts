import { randomUUID } from 'node:crypto';
import { readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredFile } from '../snapshot-store';
import { InvalidManifestError } from '../storage-errors';
import { buildManifest, createTempStore, manifestFile, objectPath, type TempStore } from '../../test/support/temp-store';

const HOUR = 3_600_000;

async function age(path: string, ms: number): Promise<void> {
  const then = new Date(Date.now() - ms);
  await utimes(path, then, then);
}

describe('local snapshot store: garbage collection', () => {
  let temp: TempStore;

  beforeEach(async () => {
    temp = await createTempStore();
  });
  afterEach(() => temp.remove());

  const put = async (content: string, ageMs: number): Promise<StoredFile> => {
    const stored = await temp.store.putBuffer(content);
    await age(objectPath(temp.root, stored.sha256), ageMs);
    return stored;
  };

  it('deletes only unreferenced objects older than the grace period, never referenced ones', async () => {
    const referencedOld = await put('referenced, old', 48 * HOUR);
    const sharedOld = await put('shared by two snapshots', 48 * HOUR);
    const orphanOld = await put('orphan, old', 48 * HOUR);
    const orphanYoung = await put('orphan, young: a run may be about to publish it', 0);
    const pruned = buildManifest([manifestFile(sharedOld, 'a.ndjson'), manifestFile(orphanOld, 'b.ndjson')]);
    const kept = buildManifest([manifestFile(referencedOld, 'repository.bundle', 'bundle'), manifestFile(sharedOld, 'a.ndjson')], {
      repositoryId: pruned.repositoryId,
    });
    await temp.store.publishManifest(pruned);
    await temp.store.publishManifest(kept);
    await temp.store.deleteManifest(pruned.repositoryId, pruned.snapshotId);

    const result = await temp.store.collectGarbage({ graceMs: 24 * HOUR });

    expect(result).toEqual({ scannedObjects: 4, deletedObjects: 1, freedBytes: orphanOld.bytes, deletedTempFiles: 0 });
    expect(await temp.store.has(orphanOld.sha256)).toBe(false);
    for (const survivor of [referencedOld, sharedOld, orphanYoung]) expect(await temp.store.has(survivor.sha256)).toBe(true);
    expect(await temp.store.readVerified(referencedOld.sha256)).toEqual(Buffer.from('referenced, old'));

    // without a grace period the young orphan goes too; referenced objects still never do
    expect(await temp.store.collectGarbage({ graceMs: 0 })).toMatchObject({ scannedObjects: 3, deletedObjects: 1 });
    expect(await temp.store.has(orphanYoung.sha256)).toBe(false);
    expect(await temp.store.readManifest(kept.repositoryId, kept.snapshotId)).toEqual(kept);
  });

  it('removes abandoned temp files older than the grace period and keeps young ones', async () => {
    await temp.store.putBuffer('creates the layout');
    const abandoned = join(temp.root, 'tmp', 'object-abandoned.tmp');
    const inProgress = join(temp.root, 'tmp', 'object-in-progress.tmp');
    await writeFile(abandoned, 'partial write of a crashed worker');
    await writeFile(inProgress, 'a write still going on');
    await age(abandoned, 2 * HOUR);

    const result = await temp.store.collectGarbage({ graceMs: HOUR });
    expect(result).toMatchObject({ deletedTempFiles: 1, freedBytes: 'partial write of a crashed worker'.length });
    expect(await readdir(join(temp.root, 'tmp'))).toEqual(['object-in-progress.tmp']);
  });

  it('deletes nothing when a manifest cannot be read, since its references are unknown', async () => {
    const orphan = await put('would be collected', 48 * HOUR);
    const manifest = buildManifest([]);
    await temp.store.publishManifest(manifest);
    await writeFile(join(temp.root, 'manifests', manifest.repositoryId, `${randomUUID()}.json`), '{"formatVersion":');

    await expect(temp.store.collectGarbage({ graceMs: 0 })).rejects.toBeInstanceOf(InvalidManifestError);
    expect(await temp.store.has(orphan.sha256)).toBe(true);
  });

  it('works on an empty store and rejects a negative grace period', async () => {
    expect(await temp.store.collectGarbage()).toEqual({ scannedObjects: 0, deletedObjects: 0, freedBytes: 0, deletedTempFiles: 0 });
    await expect(temp.store.collectGarbage({ graceMs: -1 })).rejects.toThrow(RangeError);
  });
});
