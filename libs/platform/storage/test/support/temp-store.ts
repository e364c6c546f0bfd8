import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalSnapshotStore, type ManifestFile, type SnapshotManifest, type SnapshotStore, type StoredFile } from '../../src';

export interface TempStore {
  root: string;
  store: SnapshotStore;
  remove(): Promise<void>;
}

/** A store in its own directory under the OS temp dir, so tests never share state. */
export async function createTempStore(): Promise<TempStore> {
  const root = await mkdtemp(join(tmpdir(), 'repovault-storage-'));
  return { root, store: createLocalSnapshotStore(root), remove: () => rm(root, { recursive: true, force: true }) };
}

export function objectPath(root: string, sha256: string): string {
  return join(root, 'objects', 'sha256', sha256.slice(0, 2), sha256.slice(2));
}

export function manifestFile(stored: StoredFile, path: string, kind: ManifestFile['kind'] = 'metadata'): ManifestFile {
  return { path, kind, ...stored };
}

/** A valid manifest over `files`, for one repository; ids are fresh unless given. */
export function buildManifest(files: ManifestFile[], overrides: Partial<SnapshotManifest> = {}): SnapshotManifest {
  return {
    formatVersion: 1,
    snapshotId: randomUUID(),
    tenantId: randomUUID(),
    organizationId: randomUUID(),
    repositoryId: randomUUID(),
    runId: randomUUID(),
    repositoryFullName: 'acme/widgets',
    createdAt: new Date().toISOString(),
    refs: { 'refs/heads/main': 'a'.repeat(40), HEAD: 'a'.repeat(40) },
    wikiRefs: null,
    metadata: { issues: 3, 'pull-requests': 1 },
    lfsObjects: files.filter((file) => file.kind === 'lfs').length,
    files,
    sizeBytes: files.reduce((sum, file) => sum + file.bytes, 0),
    ...overrides,
  };
}
