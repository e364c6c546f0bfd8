import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type {
  MetadataKind, MetadataSink, NotRestoredItem, ReleaseAssetRef, RestoreItemKind, RestoreLedger, RestoreLedgerEntry, RestoreLedgerKind, RestoredRef,
  RestoreProgress, SnapshotMetadataSource,
} from '@repovault/providers/core';

/** A ledger in memory (the worker's is in PostgreSQL; restorers see only the interface). */
export class MemoryLedger implements RestoreLedger {
  readonly rows = new Map<string, RestoreLedgerEntry>();
  async get(kind: RestoreLedgerKind, sourceId: string): Promise<RestoreLedgerEntry | null> {
    return this.rows.get(`${kind}\u0000${sourceId}`) ?? null;
  }
  async entries(kind: RestoreLedgerKind): Promise<ReadonlyMap<string, RestoreLedgerEntry>> {
    return new Map([...this.rows.values()].filter((r) => r.kind === kind).map((r) => [r.sourceId, r]));
  }
  async begin(kind: RestoreLedgerKind, sourceId: string): Promise<void> {
    this.rows.set(`${kind}\u0000${sourceId}`, { kind, sourceId, state: 'pending', targetId: null, targetNumber: null });
  }
  async complete(kind: RestoreLedgerKind, sourceId: string, created: RestoredRef): Promise<void> {
    this.rows.set(`${kind}\u0000${sourceId}`, { kind, sourceId, state: 'done', targetId: created.targetId, targetNumber: created.targetNumber ?? null });
  }
}

/** Counts and the report, as a restore's progress would record them. */
export class RecordingProgress implements RestoreProgress {
  readonly restoredCounts: Partial<Record<RestoreItemKind, number>> = {};
  readonly notRestoredItems: NotRestoredItem[] = [];
  readonly failures: Array<{ kind: RestoreItemKind; sourceId: string; message: string }> = [];
  restored(kind: RestoreItemKind, count = 1): void {
    this.restoredCounts[kind] = (this.restoredCounts[kind] ?? 0) + count;
  }
  notRestored(kind: NotRestoredItem['kind'], reason: string, sourceId?: string, count = 1): void {
    const item = this.notRestoredItems.find((i) => i.kind === kind && i.reason === reason);
    if (item) {
      item.count += count;
      if (sourceId && item.examples.length < 5) item.examples.push(sourceId);
    } else {
      this.notRestoredItems.push({ kind, reason, count, examples: sourceId ? [sourceId] : [] });
    }
  }
  failed(kind: RestoreItemKind, sourceId: string, message: string): void {
    this.failures.push({ kind, sourceId, message });
  }
  checkpoint(): Promise<void> {
    return Promise.resolve();
  }
}

/** An export kept in memory with the asset bytes, readable back as a snapshot's metadata. */
export class MemorySnapshot implements MetadataSink, SnapshotMetadataSource {
  private readonly byKind = new Map<MetadataKind, Array<Record<string, unknown>>>();
  private readonly blobs = new Map<string, Buffer>();

  async record(kind: MetadataKind, record: unknown): Promise<void> {
    this.byKind.set(kind, [...(this.byKind.get(kind) ?? []), record as Record<string, unknown>]);
  }
  async asset(_ref: ReleaseAssetRef, body: Readable): Promise<{ sha256: string; bytes: number }> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.blobs.set(sha256, bytes);
    return { sha256, bytes: bytes.length };
  }
  has(kind: MetadataKind): boolean {
    return this.byKind.has(kind);
  }
  count(kind: MetadataKind): number {
    return this.byKind.get(kind)?.length ?? 0;
  }
  async *records<T = Record<string, unknown>>(kind: MetadataKind): AsyncIterable<T> {
    for (const record of this.byKind.get(kind) ?? []) yield record as T;
  }
  async openAsset(sha256: string): Promise<Readable | null> {
    const bytes = this.blobs.get(sha256);
    return bytes ? Readable.from([bytes]) : null;
  }
  of(kind: MetadataKind): Array<Record<string, unknown>> {
    return this.byKind.get(kind) ?? [];
  }
}

/**
 * Mirrors `source` into `target` with plain git as a test would by hand: every ref except GitHub's
 * refs/pull/*, which go to the given staging branches. Returns the target's refs afterwards.
 */
export async function mirrorGit(sourceUrl: string, targetUrl: string, token: string, staging: (ref: string) => string | null): Promise<Record<string, string>> {
  // async: the simulator answers git from this very process
  const git = async (args: string[]) => (await promisify(execFile)('git', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  const dir = mkdtempSync(join(tmpdir(), 'rv-restore-git-'));
  const auth = ['-c', `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`];
  try {
    const mirror = join(dir, 'mirror.git');
    await git([...auth, 'clone', '--quiet', '--mirror', sourceUrl, mirror]);
    const refs = (await git(['--git-dir', mirror, 'for-each-ref', '--format=%(refname)'])).trim().split('\n').filter(Boolean);
    const specs = refs.flatMap((ref) => {
      if (!ref.startsWith('refs/pull/')) return [`+${ref}:${ref}`];
      const staged = staging(ref);
      return staged ? [`+${ref}:${staged}`] : [];
    });
    await git([...auth, '--git-dir', mirror, 'push', '--quiet', targetUrl, ...specs]);
    const listed = (await git([...auth, 'ls-remote', targetUrl])).trim().split('\n').filter(Boolean);
    return Object.fromEntries(listed.map((l) => l.split('\t').reverse() as [string, string]).filter(([ref]) => ref !== 'HEAD'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
