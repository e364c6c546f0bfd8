import type { ManifestFile, SnapshotStore } from '@repovault/platform/storage';
import type { MetadataKind, MetadataSink, ReleaseAssetRef } from '@repovault/providers/core';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { mergeMetadataFile } from './metadata-merge';

/**
 * Writes exported metadata as NDJSON, one temp file per kind, then stores each file; release asset
 * bytes go straight into the content-addressed store.
 */
export class MetadataFiles implements MetadataSink {
  private readonly streams = new Map<MetadataKind, WriteStream>();
  readonly assets: ManifestFile[] = [];

  constructor(
    private readonly dir: string,
    private readonly store: SnapshotStore,
    /** assets of the previous snapshot, by path: immutable, so never downloaded twice */
    private readonly previousAssets: ReadonlyMap<string, { sha256: string; bytes: number }> = new Map(),
  ) {}

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
    this.assets.push({ path: assetPath(asset), sha256: stored.sha256, bytes: stored.bytes, kind: 'asset' });
    return stored;
  }

  async knownAsset(asset: ReleaseAssetRef): Promise<{ sha256: string; bytes: number } | null> {
    const previous = this.previousAssets.get(assetPath(asset));
    if (!previous || previous.bytes !== asset.size || !(await this.store.has(previous.sha256))) return null;
    this.assets.push({ path: assetPath(asset), sha256: previous.sha256, bytes: previous.bytes, kind: 'asset' });
    return previous;
  }

  /** Closes the files, stores them, and returns their manifest entries (kinds with no records included, empty). */
  async finish(kinds: readonly MetadataKind[]): Promise<ManifestFile[]> {
    await this.closeStreams();
    const files: ManifestFile[] = [];
    for (const kind of kinds) {
      const stored = this.streams.has(kind) ? await this.store.putFile(join(this.dir, `${kind}.ndjson`)) : await this.store.putBuffer('');
      files.push({ path: `metadata/${kind}.ndjson`, sha256: stored.sha256, bytes: stored.bytes, kind: 'metadata' });
    }
    return [...files, ...this.assets];
  }

  /**
   * For an incremental export: merges what was written into the previous snapshot's files (one per
   * kind, all present in `previous`), keeps the previous assets the export did not see again, and
   * returns the manifest entries and the merged record counts.
   */
  async finishIncremental(kinds: readonly MetadataKind[], previous: readonly ManifestFile[]): Promise<{ files: ManifestFile[]; counts: Record<string, number> }> {
    await this.closeStreams();
    const files: ManifestFile[] = [];
    const counts: Record<string, number> = {};
    for (const kind of kinds) {
      const before = previous.find((f) => f.path === `metadata/${kind}.ndjson`);
      if (!before) throw new Error(`the previous snapshot has no ${kind} file to merge into`);
      const merged = join(this.dir, `${kind}.merged.ndjson`);
      counts[kind] = await mergeMetadataFile(this.store, before.sha256, this.streams.has(kind) ? join(this.dir, `${kind}.ndjson`) : null, merged);
      const stored = await this.store.putFile(merged);
      files.push({ path: `metadata/${kind}.ndjson`, sha256: stored.sha256, bytes: stored.bytes, kind: 'metadata' });
    }
    const seen = new Set(this.assets.map((a) => a.path));
    const carried = kinds.includes('release-assets') ? previous.filter((f) => f.kind === 'asset' && !seen.has(f.path)) : [];
    return { files: [...files, ...this.assets, ...carried], counts };
  }

  private async closeStreams(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((resolve, reject) => s.end((error?: Error | null) => (error ? reject(error) : resolve())))));
  }
}

function assetPath(asset: ReleaseAssetRef): string {
  // every segment safe for a restore directory, whatever the provider put in ids and names
  const segment = (value: string, fallback: string, max: number) => (value.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || fallback).slice(0, max);
  return `assets/${segment(asset.releaseId, 'downloads', 100)}/${segment(asset.id, 'asset', 100)}-${segment(asset.name, 'asset', 150)}`;
}
