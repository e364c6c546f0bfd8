import type { SnapshotManifest, SnapshotStore } from '@repovault/platform/storage';
import type { MetadataKind, SnapshotMetadataSource } from '@repovault/providers/core';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';

/** A snapshot's metadata files read back from the content-addressed store, verified while read. */
export class StoredSnapshotMetadata implements SnapshotMetadataSource {
  private readonly files = new Map<string, string>();
  private readonly assets: ReadonlySet<string>;

  constructor(private readonly manifest: SnapshotManifest, private readonly store: SnapshotStore) {
    for (const file of manifest.files) {
      const match = file.kind === 'metadata' ? /^metadata\/([a-z-]+)\.ndjson$/.exec(file.path) : null;
      if (match?.[1]) this.files.set(match[1], file.sha256);
    }
    this.assets = new Set(manifest.files.filter((f) => f.kind === 'asset').map((f) => f.sha256));
  }

  has(kind: MetadataKind): boolean {
    return this.files.has(kind);
  }

  count(kind: MetadataKind): number {
    return this.has(kind) ? (this.manifest.metadata[kind] ?? 0) : 0;
  }

  async *records<T = Record<string, unknown>>(kind: MetadataKind): AsyncIterable<T> {
    const sha256 = this.files.get(kind);
    if (!sha256) return;
    const lines = createInterface({ input: (await this.store.openVerified(sha256)) as Readable, crlfDelay: Infinity });
    for await (const line of lines) if (line.trim() !== '') yield JSON.parse(line) as T;
  }

  async openAsset(sha256: string): Promise<Readable | null> {
    if (!this.assets.has(sha256) || !(await this.store.has(sha256))) return null;
    return (await this.store.openVerified(sha256)) as Readable;
  }
}
