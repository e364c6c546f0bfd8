import type { SnapshotRecord } from '@repovault/contracts/internal-api';
import type { ManifestFile, MetadataKind, SnapshotManifest, SnapshotStore } from '@repovault/platform/storage';
import { createHash, randomUUID } from 'node:crypto';
import { readdir, utimes } from 'node:fs/promises';
import { join } from 'node:path';

export interface SnapshotOwner {
  tenantId: string;
  organizationId: string;
  planId: string;
  runId: string;
  repositoryId: string;
  fullName: string;
}

export interface SnapshotContent {
  /** the git bundle; none for an empty repository */
  bundle?: string | Buffer;
  metadata?: Partial<Record<MetadataKind, string[]>>;
  createdAt?: Date;
}

/** What a worker does before it reports a repository as succeeded: store the files, publish the manifest. */
export async function publishSnapshot(store: SnapshotStore, owner: SnapshotOwner, content: SnapshotContent): Promise<SnapshotRecord> {
  const files: ManifestFile[] = [];
  if (content.bundle !== undefined) files.push({ path: 'repository.bundle', kind: 'bundle', ...(await store.putBuffer(content.bundle)) });
  const metadata: Record<string, number> = {};
  for (const [kind, records] of Object.entries(content.metadata ?? {})) {
    const ndjson = records.map((r) => `${r}\n`).join('');
    files.push({ path: `metadata/${kind}.ndjson`, kind: 'metadata', ...(await store.putBuffer(ndjson)) });
    metadata[kind] = records.length;
  }
  const head = createHash('sha1').update(String(content.bundle ?? '')).digest('hex');
  const manifest: SnapshotManifest = {
    formatVersion: 1,
    snapshotId: randomUUID(),
    tenantId: owner.tenantId,
    organizationId: owner.organizationId,
    repositoryId: owner.repositoryId,
    runId: owner.runId,
    repositoryFullName: owner.fullName,
    createdAt: (content.createdAt ?? new Date()).toISOString(),
    refs: content.bundle === undefined ? {} : { 'refs/heads/main': head, HEAD: head },
    wikiRefs: null,
    metadata,
    lfsObjects: 0,
    files,
    sizeBytes: files.reduce((sum, f) => sum + f.bytes, 0),
  };
  await store.publishManifest(manifest);
  return {
    id: manifest.snapshotId,
    repositoryId: owner.repositoryId,
    organizationId: owner.organizationId,
    planId: owner.planId,
    runId: owner.runId,
    repositoryFullName: owner.fullName,
    createdAt: manifest.createdAt,
    refs: manifest.refs,
    wikiRefs: null,
    metadata,
    lfsObjects: 0,
    sizeBytes: manifest.sizeBytes,
    newBytes: manifest.sizeBytes,
    files: files.map((f) => ({ ...f })),
  };
}

export function objectPath(storageDir: string, sha256: string): string {
  return join(storageDir, 'objects', 'sha256', sha256.slice(0, 2), sha256.slice(2));
}

/** Makes every stored object look older than the garbage collector's grace period. */
export async function ageObjects(storageDir: string, ageMs = 2 * 24 * 3600 * 1000): Promise<void> {
  const root = join(storageDir, 'objects', 'sha256');
  const when = new Date(Date.now() - ageMs);
  for (const fanOut of await readdir(root)) {
    for (const name of await readdir(join(root, fanOut))) await utimes(join(root, fanOut, name), when, when);
  }
}
