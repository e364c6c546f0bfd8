import { readdir, readFile, stat } from 'node:fs/promises';
import { parseSnapshotManifest, validateSnapshotManifest } from '../manifest-validation';
import { compareNewestFirst } from '../retention';
import type { SnapshotManifest, SnapshotSummary } from '../snapshot-manifest';
import { InvalidManifestError, ManifestExistsError, ManifestNotFoundError, MissingObjectsError } from '../storage-errors';
import { isStorageUuid } from '../storage-ids';
import { ensureDirectory, errorCode, forEachLimited, fsyncDirectory, linkNoReplace, removeIfPresent, writeDurably } from './durable-fs';
import { MANIFEST_FILE, type LocalLayout } from './local-layout';
import type { LocalObjects } from './local-objects';

const PARALLEL_IO = 32;

/** The manifest half of the local store: one immutable JSON file per snapshot. */
export class LocalManifests {
  constructor(
    private readonly layout: LocalLayout,
    private readonly objects: LocalObjects,
    private readonly ready: () => Promise<void>,
  ) {}

  async publish(manifest: SnapshotManifest): Promise<void> {
    validateSnapshotManifest(manifest);
    const { repositoryId, snapshotId } = manifest;
    const target = this.layout.manifestPath(repositoryId, snapshotId);
    await this.ready();
    if (await this.exists(target)) throw new ManifestExistsError(repositoryId, snapshotId);
    await this.assertFilesStored(manifest);

    const dir = this.layout.repositoryManifestsDir(repositoryId);
    await ensureDirectory(dir);
    const tempPath = this.layout.newTempPath('manifest');
    try {
      await writeDurably(tempPath, `${JSON.stringify(manifest, null, 2)}\n`);
      // link, not rename: a concurrent publisher of the same snapshot must fail, not overwrite
      if ((await linkNoReplace(tempPath, target)) === 'exists') throw new ManifestExistsError(repositoryId, snapshotId);
    } finally {
      await removeIfPresent(tempPath);
    }
  }

  async read(repositoryId: string, snapshotId: string): Promise<SnapshotManifest> {
    const path = this.layout.manifestPath(repositoryId, snapshotId);
    let json: string;
    try {
      json = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') throw new ManifestNotFoundError(repositoryId, snapshotId);
      throw error;
    }
    const location = `${repositoryId}/${snapshotId}`;
    const manifest = parseSnapshotManifest(json, location);
    // a file copied or renamed by hand must not pass for another snapshot
    if (manifest.repositoryId !== repositoryId || manifest.snapshotId !== snapshotId) {
      throw new InvalidManifestError([`it names snapshot ${manifest.repositoryId}/${manifest.snapshotId}`], location);
    }
    return manifest;
  }

  async snapshotIds(repositoryId: string): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.layout.repositoryManifestsDir(repositoryId));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
    return names.flatMap((name) => MANIFEST_FILE.exec(name)?.[1] ?? []);
  }

  async repositoryIds(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.layout.manifestsDir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
    return names.filter(isStorageUuid);
  }

  async list(repositoryId: string): Promise<SnapshotSummary[]> {
    const summaries: SnapshotSummary[] = [];
    await forEachLimited(await this.snapshotIds(repositoryId), PARALLEL_IO, async (snapshotId) => {
      const { createdAt } = await this.read(repositoryId, snapshotId);
      summaries.push({ snapshotId, createdAt });
    });
    return summaries.sort(compareNewestFirst);
  }

  async delete(repositoryId: string, snapshotId: string): Promise<void> {
    await removeIfPresent(this.layout.manifestPath(repositoryId, snapshotId));
    await fsyncDirectory(this.layout.repositoryManifestsDir(repositoryId)).catch((error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
    });
  }

  /** A manifest must never point at content the store cannot restore. */
  private async assertFilesStored(manifest: SnapshotManifest): Promise<void> {
    const expected = new Map<string, number>();
    for (const file of manifest.files) expected.set(file.sha256, file.bytes);
    const problems: string[] = [];
    for (const file of manifest.files) {
      if (expected.get(file.sha256) !== file.bytes) problems.push(`${file.path}: ${file.sha256} is listed with different sizes`);
    }
    await forEachLimited([...expected], PARALLEL_IO, async ([sha256, bytes]) => {
      const size = await this.objects.size(sha256);
      if (size === undefined) problems.push(`${sha256} is not stored`);
      else if (size !== bytes) problems.push(`${sha256} is stored with ${size} bytes, the manifest says ${bytes}`);
    });
    if (problems.length > 0) throw new MissingObjectsError(problems.slice(0, 20));
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return false;
      throw error;
    }
  }
}
