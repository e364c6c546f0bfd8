import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { assertSha256, assertStorageUuid } from '../storage-ids';

export const OBJECT_FAN_OUT = /^[0-9a-f]{2}$/;
export const OBJECT_REST = /^[0-9a-f]{62}$/;
export const MANIFEST_FILE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

/**
 * Where everything lives under the store's root:
 *   objects/sha256/ab/cdef…            content, named by its sha256, fanned out by the first two hex chars
 *   manifests/<repositoryId>/<snapshotId>.json
 *   tmp/                               in-progress writes; same filesystem, so link/rename is atomic
 * Every id is validated here, at the one place that builds paths, so none can escape the root.
 */
export class LocalLayout {
  readonly root: string;
  readonly objectsDir: string;
  readonly manifestsDir: string;
  readonly tmpDir: string;

  constructor(rootDir: string) {
    this.root = resolve(rootDir);
    this.objectsDir = join(this.root, 'objects', 'sha256');
    this.manifestsDir = join(this.root, 'manifests');
    this.tmpDir = join(this.root, 'tmp');
  }

  objectDir(sha256: string): string {
    assertSha256(sha256);
    return join(this.objectsDir, sha256.slice(0, 2));
  }

  objectPath(sha256: string): string {
    return join(this.objectDir(sha256), sha256.slice(2));
  }

  repositoryManifestsDir(repositoryId: string): string {
    assertStorageUuid('repositoryId', repositoryId);
    return join(this.manifestsDir, repositoryId);
  }

  manifestPath(repositoryId: string, snapshotId: string): string {
    assertStorageUuid('snapshotId', snapshotId);
    return join(this.repositoryManifestsDir(repositoryId), `${snapshotId}.json`);
  }

  /** unique across processes and pods sharing the volume */
  newTempPath(purpose: 'object' | 'manifest'): string {
    return join(this.tmpDir, `${purpose}-${randomUUID()}.tmp`);
  }
}
