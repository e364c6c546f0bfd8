import type { ManifestFile, SnapshotStore } from '@repovault/platform/storage';
import type { MetadataKind, MetadataSink, ReleaseAssetRef } from '@repovault/providers/core';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Writes exported metadata as NDJSON, one temp file per kind, then stores each file; release asset
 * bytes go straight into the content-addressed store.
 */
export class MetadataFiles implements MetadataSink {
  private readonly streams = new Map<MetadataKind, WriteStream>();
  readonly assets: ManifestFile[] = [];

  constructor(private readonly dir: string, private readonly store: SnapshotStore) {}

  async record(kind: MetadataKind, record: unknown): Promise<void> {
    let stream = this.streams.get(kind);
    if (!stream) {
      stream = createWriteStream(join(this.dir, `${kind}.ndjson`));
      this.streams.set(kind, stream);
    }
    if (!stream.write(`${JSON.stringify(record)}\n`)) await new Promise<void>((resolve) => stream?.once('drain', resolve));
  }

  async asset(asset: ReleaseAssetRef, body: Readable): Promise<{ sha256: string; bytes: number }> {
    const stored = await this.store.putStream(body);
    const safeName = asset.name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 150) || 'asset';
    this.assets.push({ path: `assets/${asset.releaseId}/${asset.id}-${safeName}`, sha256: stored.sha256, bytes: stored.bytes, kind: 'asset' });
    return stored;
  }

  /** Closes the files, stores them, and returns their manifest entries (kinds with no records included, empty). */
  async finish(kinds: readonly MetadataKind[]): Promise<ManifestFile[]> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((resolve, reject) => s.end((error?: Error | null) => (error ? reject(error) : resolve())))));
    const files: ManifestFile[] = [];
    for (const kind of kinds) {
      const stored = this.streams.has(kind) ? await this.store.putFile(join(this.dir, `${kind}.ndjson`)) : await this.store.putBuffer('');
      files.push({ path: `metadata/${kind}.ndjson`, sha256: stored.sha256, bytes: stored.bytes, kind: 'metadata' });
    }
    return [...files, ...this.assets];
  }
}
