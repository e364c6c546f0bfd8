import { randomUUID } from 'node:crypto';
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotManifest } from '../snapshot-manifest';
import { InvalidManifestError, ManifestExistsError, ManifestNotFoundError, MissingObjectsError } from '../storage-errors';
import { buildManifest, createTempStore, manifestFile, type TempStore } from '../../test/support/temp-store';

describe('local snapshot store: manifests', () => {
  let temp: TempStore;
  let manifest: SnapshotManifest;
  const manifestPath = (m: SnapshotManifest) => join(temp.root, 'manifests', m.repositoryId, `${m.snapshotId}.json`);

  beforeEach(async () => {
    temp = await createTempStore();
    const bundle = await temp.store.putBuffer('bundle bytes');
    const issues = await temp.store.putBuffer('{"number":1}\n');
    manifest = buildManifest([manifestFile(bundle, 'repository.bundle', 'bundle'), manifestFile(issues, 'metadata/issues.ndjson')]);
  });
  afterEach(() => temp.remove());

  it('publishes atomically, read-only, leaving no temp file, and reads back what was published', async () => {
    await temp.store.publishManifest(manifest);
    expect(await temp.store.readManifest(manifest.repositoryId, manifest.snapshotId)).toEqual(manifest);
    expect((await stat(manifestPath(manifest))).mode & 0o777).toBe(0o444);
    expect(await readdir(join(temp.root, 'tmp'))).toEqual([]);
  });

  it('refuses to replace a published snapshot, which stays as it was', async () => {
    await temp.store.publishManifest(manifest);
    const before = await readFile(manifestPath(manifest), 'utf8');
    const rewritten = { ...manifest, refs: { 'refs/heads/main': 'b'.repeat(40) } };

    await expect(temp.store.publishManifest(rewritten)).rejects.toBeInstanceOf(ManifestExistsError);
    expect(await readFile(manifestPath(manifest), 'utf8')).toBe(before);
    expect(await readdir(join(temp.root, 'tmp'))).toEqual([]);
  });

  it('lets exactly one of several simultaneous publishers of one snapshot win', async () => {
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => temp.store.publishManifest(manifest)));
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    for (const attempt of attempts.filter((a) => a.status === 'rejected')) {
      expect((attempt as PromiseRejectedResult).reason).toBeInstanceOf(ManifestExistsError);
    }
  });

  it('refuses a manifest naming files the store does not hold, or holds with another size', async () => {
    const ghost = { sha256: 'f'.repeat(64), bytes: 10 };
    const missing = buildManifest([...manifest.files, manifestFile(ghost, 'lfs/ghost', 'lfs')], { repositoryId: manifest.repositoryId });
    await expect(temp.store.publishManifest(missing)).rejects.toBeInstanceOf(MissingObjectsError);

    const wrongSize = buildManifest(manifest.files.slice(0, 1).map((bundle) => ({ ...bundle, bytes: bundle.bytes + 1 })));
    await expect(temp.store.publishManifest(wrongSize)).rejects.toThrow(/stored with 12 bytes, the manifest says 13/);
    expect(await temp.store.listManifests(manifest.repositoryId)).toEqual([]);
  });

  it('refuses an invalid manifest before writing anything', async () => {
    const invalid = { ...manifest, sizeBytes: 1 };
    await expect(temp.store.publishManifest(invalid)).rejects.toBeInstanceOf(InvalidManifestError);
    await expect(temp.store.readManifest(manifest.repositoryId, manifest.snapshotId)).rejects.toBeInstanceOf(ManifestNotFoundError);
  });

  it('lists a repository newest first and deletes idempotently', async () => {
    const { repositoryId } = manifest;
    const at = (day: number) => `2025-0${day}-01T00:00:00Z`;
    const snapshots = [3, 1, 2].map((day) => buildManifest(manifest.files, { repositoryId, createdAt: at(day) }));
    for (const snapshot of snapshots) await temp.store.publishManifest(snapshot);
    await temp.store.publishManifest(buildManifest(manifest.files)); // another repository

    const listed = await temp.store.listManifests(repositoryId);
    expect(listed).toEqual(snapshots.slice().sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map(({ snapshotId, createdAt }) => ({ snapshotId, createdAt })));
    expect(listed.map((s) => s.createdAt)).toEqual([at(3), at(2), at(1)]);

    const [newest] = snapshots.map((s) => s.snapshotId);
    await temp.store.deleteManifest(repositoryId, newest ?? '');
    await temp.store.deleteManifest(repositoryId, newest ?? '');
    expect((await temp.store.listManifests(repositoryId)).map((s) => s.createdAt)).toEqual([at(2), at(1)]);
    expect(await temp.store.listManifests(randomUUID())).toEqual([]);
  });

  it('reports a missing snapshot as ManifestNotFoundError', async () => {
    await expect(temp.store.readManifest(manifest.repositoryId, randomUUID())).rejects.toBeInstanceOf(ManifestNotFoundError);
  });

  it.each([
    ['truncated JSON', (json: string) => json.slice(0, json.length / 2), /not valid JSON/],
    ['a wrong checksum', (json: string) => json.replace(/"sha256": "[0-9a-f]{64}"/, '"sha256": "xyz"'), /files\[0\]\.sha256/],
    ['another snapshot\'s content', (json: string) => json.replace(/"snapshotId": "[^"]+"/, `"snapshotId": "${randomUUID()}"`), /names snapshot/],
  ])('raises a clear error for a stored manifest with %s', async (_name, corrupt, message) => {
    await temp.store.publishManifest(manifest);
    const path = manifestPath(manifest);
    await chmod(path, 0o644);
    await writeFile(path, corrupt(await readFile(path, 'utf8')));

    const read = temp.store.readManifest(manifest.repositoryId, manifest.snapshotId);
    await expect(read).rejects.toBeInstanceOf(InvalidManifestError);
    await expect(read).rejects.toThrow(message);
    await expect(read).rejects.toThrow(manifest.snapshotId);
  });
});
