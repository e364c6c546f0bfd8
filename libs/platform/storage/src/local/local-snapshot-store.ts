import { mkdir } from 'node:fs/promises';
import type { SnapshotStore } from '../snapshot-store';
import { collectLocalGarbage } from './local-garbage-collector';
import { LocalLayout } from './local-layout';
import { LocalManifests } from './local-manifests';
import { LocalObjects } from './local-objects';

/**
 * A snapshot store in a local directory — the embedded default, or on Kubernetes a volume shared by
 * every worker pod and plan-service. Safe for any number of processes at once: all publishing is by
 * link(2) of complete temp files, so the directory must support hard links (local filesystems, NFS).
 */
export function createLocalSnapshotStore(rootDir: string): SnapshotStore {
  const layout = new LocalLayout(rootDir);
  let created: Promise<void> | undefined;
  const ready = (): Promise<void> => {
    created ??= Promise.all([layout.objectsDir, layout.manifestsDir, layout.tmpDir].map((dir) => mkdir(dir, { recursive: true }))).then(
      () => undefined,
      (error: unknown) => {
        created = undefined; // let the next call retry, e.g. once the volume is mounted
        throw error;
      },
    );
    return created;
  };
  const objects = new LocalObjects(layout, ready);
  const manifests = new LocalManifests(layout, objects, ready);

  return {
    putStream: (source) => objects.putStream(source),
    putFile: (path) => objects.putFile(path),
    putBuffer: (data) => objects.putBuffer(data),
    has: (sha256) => objects.has(sha256),
    openVerified: (sha256) => objects.openVerified(sha256),
    readVerified: (sha256) => objects.readVerified(sha256),
    publishManifest: (manifest) => manifests.publish(manifest),
    readManifest: (repositoryId, snapshotId) => manifests.read(repositoryId, snapshotId),
    listManifests: (repositoryId) => manifests.list(repositoryId),
    deleteManifest: (repositoryId, snapshotId) => manifests.delete(repositoryId, snapshotId),
    collectGarbage: async (options) => {
      await ready();
      return collectLocalGarbage(layout, manifests, options);
    },
  };
}
