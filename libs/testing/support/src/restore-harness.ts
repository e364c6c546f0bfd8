import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import {
  type MetadataKind, type MetadataRestoreContext, type MetadataSink, type ProviderFetch, type ReleaseAssetRef, type RestoreCapabilities, type RestoredRef, type RestoreItemKind,
  type RestoreLedger, type RestoreLedgerEntry, type RestoreLedgerKind, type RestoreProgress, type RestoreTargetRepository, type SnapshotMetadataSource, stripRestoreAttribution,
} from '@repovault/providers/core';

/**
 * A restored text as the source had it: without the attribution line and the marker a restore adds
 * (for whole-stack drills, which may not use provider code directly).
 */
export function textBeforeRestore(text: string | null | undefined): string {
  return stripRestoreAttribution(text);
}

/** What provider restorers' tests share: an in-memory ledger, snapshot and progress, a git mirror between two repositories, and a transport that can be killed. */

/** A restore ledger in memory (the worker's is persisted; restorers only use the interface). */
export class MemoryRestoreLedger implements RestoreLedger {
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

  pending(): RestoreLedgerEntry[] {
    return [...this.rows.values()].filter((r) => r.state === 'pending');
  }
}

/** An exporter's output kept in memory, asset bytes included: the snapshot a restore reads. */
export class SnapshotCapture implements MetadataSink {
  readonly records = new Map<MetadataKind, Array<Record<string, unknown>>>();
  readonly bytes = new Map<string, Buffer>();

  record(kind: MetadataKind, record: unknown): Promise<void> {
    this.records.set(kind, [...(this.records.get(kind) ?? []), record as Record<string, unknown>]);
    return Promise.resolve();
  }

  async asset(_ref: ReleaseAssetRef, body: Readable): Promise<{ sha256: string; bytes: number }> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
    const content = Buffer.concat(chunks);
    const sha256 = createHash('sha256').update(content).digest('hex');
    this.bytes.set(sha256, content);
    return { sha256, bytes: content.length };
  }

  of(kind: MetadataKind): Array<Record<string, unknown>> {
    return this.records.get(kind) ?? [];
  }

  source(): SnapshotMetadataSource {
    const records = this.records;
    const bytes = this.bytes;
    return {
      has: (kind) => records.has(kind),
      count: (kind) => records.get(kind)?.length ?? 0,
      records: <T>(kind: MetadataKind): AsyncIterable<T> => Readable.from((records.get(kind) ?? []) as T[]),
      openAsset: async (sha256) => {
        const content = bytes.get(sha256);
        return content ? Readable.from([content]) : null;
      },
    };
  }
}

export interface NotRestoredEntry {
  kind: string;
  reason: string;
  sourceId?: string;
  count: number;
}

/** What a restorer reported, kept for assertions. */
export class RecordingProgress implements RestoreProgress {
  readonly restoredCounts = new Map<string, number>();
  readonly notRestoredEntries: NotRestoredEntry[] = [];
  readonly failures: Array<{ kind: RestoreItemKind; sourceId: string; message: string }> = [];

  restored(kind: RestoreItemKind, count = 1): void {
    this.restoredCounts.set(kind, (this.restoredCounts.get(kind) ?? 0) + count);
  }

  notRestored(kind: string, reason: string, sourceId?: string, count = 1): void {
    this.notRestoredEntries.push({ kind, reason, sourceId, count });
  }

  failed(kind: RestoreItemKind, sourceId: string, message: string): void {
    this.failures.push({ kind, sourceId, message });
  }

  async checkpoint(): Promise<void> {
    // nothing to persist in memory
  }

  notRestoredCount(kind: string): number {
    return this.notRestoredEntries.filter((e) => e.kind === kind).reduce((n, e) => n + e.count, 0);
  }
}

export interface RestoreContextInput {
  restoreId?: string;
  kinds: readonly MetadataKind[];
  source: { fullName: string; webUrl?: string | null };
  target: RestoreTargetRepository;
  snapshot: SnapshotCapture;
  ledger: RestoreLedger;
  progress?: RestoreProgress;
  targetRefs: Record<string, string>;
  stagedRefs?: ReadonlyMap<string, string>;
  mode?: 'new-repository' | 'overwrite';
}

export function restoreContext(input: RestoreContextInput): MetadataRestoreContext {
  return {
    restoreId: input.restoreId ?? 'r-test',
    mode: input.mode ?? 'new-repository',
    kinds: input.kinds,
    source: { fullName: input.source.fullName, webUrl: input.source.webUrl ?? null },
    target: input.target,
    targetCreated: (input.mode ?? 'new-repository') === 'new-repository',
    metadata: input.snapshot.source(),
    ledger: input.ledger,
    progress: input.progress ?? new RecordingProgress(),
    targetRefs: input.targetRefs,
    stagedRefs: input.stagedRefs ?? new Map(),
  };
}

const run = promisify(execFile);

export interface GitMirrorInput {
  from: { url: string; authorization: string };
  to: { url: string; authorization: string };
  capabilities: RestoreCapabilities;
}

/**
 * What a restore's git step does, for restorer tests: mirror `from`, push every ref except the
 * provider's read-only ones to `to`, and read-only refs the provider stages as their staging
 * branches. Credentials go in `http.extraHeader`, never into a URL.
 */
export async function mirrorGitForRestore(input: GitMirrorInput): Promise<{ pushed: Record<string, string>; stagedRefs: Map<string, string> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rv-restore-git-'));
  const env = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LANG: 'C' };
  const git = (authorization: string, args: string[]) => run('git', ['-c', `http.extraHeader=Authorization: ${authorization}`, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
  try {
    const mirror = join(dir, 'mirror.git');
    await git(input.from.authorization, ['clone', '--quiet', '--mirror', input.from.url, mirror]);
    const listed = (await run('git', ['--git-dir', mirror, 'for-each-ref', '--format=%(refname) %(objectname)'], { env })).stdout;
    const refs = Object.fromEntries(listed.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
    const refspecs: string[] = [];
    const pushed: Record<string, string> = {};
    const stagedRefs = new Map<string, string>();
    for (const [ref, sha] of Object.entries(refs)) {
      const readOnly = input.capabilities.readOnlyRefPrefixes.some((p) => ref.startsWith(p));
      const target = readOnly ? (input.capabilities.stagingRefFor?.(ref) ?? null) : ref;
      if (target === null) continue;
      refspecs.push(`${sha}:${target}`);
      pushed[target] = sha;
      if (readOnly) stagedRefs.set(ref, target);
    }
    if (refspecs.length > 0) await git(input.to.authorization, ['--git-dir', mirror, 'push', '--quiet', input.to.url, ...refspecs]);
    return { pushed, stagedRefs };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Thrown by a KillableFetch: stands for the worker being killed at that point. */
export class SimulatedKill extends Error {
  constructor() {
    super('simulated kill');
    this.name = 'SimulatedKill';
  }
}

/**
 * A transport that dies after a number of writes: `before` the next write leaves (the provider never
 * sees it), or `after` it was answered (the provider has it, the restorer never learns).
 */
export class KillableFetch {
  private writes = 0;
  private killAt: { write: number; when: 'before' | 'after' } | null = null;
  readonly requests: Array<{ method: string; url: string; body: string | null }> = [];

  constructor(private readonly inner: ProviderFetch) {}

  killAtWrite(write: number, when: 'before' | 'after'): void {
    this.writes = 0;
    this.killAt = { write, when };
  }

  disarm(): void {
    this.killAt = null;
  }

  readonly fetch: ProviderFetch = async (url, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    this.requests.push({ method, url, body: typeof init.body === 'string' ? init.body : null });
    if (method === 'GET' || method === 'HEAD') return this.inner(url, init);
    this.writes++;
    const kill = this.killAt !== null && this.writes === this.killAt.write ? this.killAt.when : null;
    if (kill === 'before') throw new SimulatedKill();
    const response = await this.inner(url, init);
    if (kill === 'after') {
      await response.arrayBuffer();
      throw new SimulatedKill();
    }
    return response;
  };
}
