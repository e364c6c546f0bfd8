import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { GitProcess, GitRunner } from './git-runner';
import { LFS_POINTER_MAX_BYTES, LFS_POINTER_MIN_BYTES, parseLfsPointer, type LfsObjectRef } from './lfs-pointer';

/** How `withMirror` brought the mirror up to date before handing it over. */
export interface MirrorPreparation {
  /** `fetch`: incremental fetch into the cached mirror; `seed-bundle`: rebuilt from the bundle, then fetched; `clone`: a fresh `clone --mirror`. */
  kind: 'fetch' | 'seed-bundle' | 'clone';
  /** Why the mirror was rebuilt (absent for `fetch`). */
  rebuiltBecause?: 'missing' | 'corrupt';
  /** Set when a seed bundle was given but could not be used, so a fresh clone was made instead. */
  seedBundleError?: string;
}

export interface BundleResult {
  /** False for a repository without refs: git refuses empty bundles, so no file is written. */
  created: boolean;
  /** Refs in the bundle (HEAD not counted). */
  refs: number;
}

/** A bare mirror handed to a `withMirror` callback; valid only while the callback runs. */
export interface Mirror {
  readonly path: string;
  readonly preparation: MirrorPreparation;
  /** Aborted when the lock was lost (or the caller aborted): stop using the mirror. */
  readonly signal: AbortSignal;
  /** Every ref -> object id (for-each-ref): branches, tags (tag objects for annotated tags), refs/pull/*, … */
  refs(): Promise<Record<string, string>>;
  /** `git bundle create --all` to `outputPath` (written under a temporary name, then renamed). */
  createBundle(outputPath: string): Promise<BundleResult>;
  /** Every Git LFS pointer blob reachable from any ref, deduplicated by oid, sorted by oid. */
  lfsPointers(): Promise<LfsObjectRef[]>;
}

export class BareMirror implements Mirror {
  constructor(
    readonly path: string,
    readonly preparation: MirrorPreparation,
    readonly signal: AbortSignal,
    private readonly git: GitRunner,
  ) {}

  async refs(): Promise<Record<string, string>> {
    const out = await this.git.text(['for-each-ref', '--format=%(objectname) %(refname)'], { gitDir: this.path, signal: this.signal });
    const refs: Record<string, string> = {};
    for (const line of out.split('\n')) {
      if (line === '') continue;
      const space = line.indexOf(' ');
      refs[line.slice(space + 1)] = line.slice(0, space);
    }
    return refs;
  }

  async createBundle(outputPath: string): Promise<BundleResult> {
    const refs = Object.keys(await this.refs()).length;
    if (refs === 0) return { created: false, refs: 0 };
    const temporary = join(dirname(outputPath), `.${basename(outputPath)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await this.git.run(['bundle', 'create', '--quiet', temporary, '--all'], { gitDir: this.path, signal: this.signal });
      await rename(temporary, outputPath);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    return { created: true, refs };
  }

  /**
   * As git-lfs does it: `rev-list --objects --all` (blobs of 1024 bytes or more filtered out, since
   * a pointer is smaller), `cat-file --batch-check` for type and size, and `cat-file --batch` only
   * for blobs whose size a pointer can have. The three processes stream into each other.
   */
  async lfsPointers(): Promise<LfsObjectRef[]> {
    const controller = new AbortController();
    const stopOnLock = (): void => controller.abort();
    this.signal.addEventListener('abort', stopOnLock, { once: true });
    const options = { gitDir: this.path, signal: controller.signal };
    const processes: GitProcess[] = [];
    const found = new Map<string, number>();
    try {
      const revList = await this.git.start(['rev-list', '--objects', '--all', '--no-object-names', `--filter=blob:limit=${LFS_POINTER_MAX_BYTES}`], options);
      processes.push(revList);
      const check = await this.git.start(['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], options);
      processes.push(check);
      const batch = await this.git.start(['cat-file', '--batch'], options);
      processes.push(batch);
      revList.stdin.end();
      revList.stdout.pipe(check.stdin);

      const feed = async (): Promise<void> => {
        for await (const line of createInterface({ input: check.stdout, crlfDelay: Infinity })) {
          const [oid, type, sizeText] = line.split(' ');
          const size = Number(sizeText);
          if (type !== 'blob' || size < LFS_POINTER_MIN_BYTES || size >= LFS_POINTER_MAX_BYTES) continue;
          if (!batch.stdin.write(`${oid}\n`)) await once(batch.stdin, 'drain');
        }
        batch.stdin.end();
      };
      const read = readBatchObjects(batch.stdout, (content) => {
        const pointer = parseLfsPointer(content);
        if (pointer && !found.has(pointer.oid)) found.set(pointer.oid, pointer.size);
      });
      const all = [feed(), read, ...processes.map((p) => p.done)];
      try {
        await Promise.all(all);
      } catch (error) {
        controller.abort();
        await Promise.allSettled(all);
        throw error;
      }
    } finally {
      this.signal.removeEventListener('abort', stopOnLock);
      for (const p of processes) p.kill();
    }
    return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([oid, size]) => ({ oid, size }));
  }
}

/** Parses `cat-file --batch` output: `<oid> <type> <size>\n<content>\n` per object (or `<name> missing\n`). */
async function readBatchObjects(stdout: Readable, onObject: (content: Buffer) => void): Promise<void> {
  let buffer: Buffer = Buffer.alloc(0);
  let expected: number | undefined;
  for await (const chunk of stdout as AsyncIterable<Buffer>) {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      if (expected === undefined) {
        const newline = buffer.indexOf(0x0a);
        if (newline < 0) break;
        const header = buffer.subarray(0, newline).toString('utf8').split(' ');
        buffer = buffer.subarray(newline + 1);
        if (header.length === 3) expected = Number(header[2]);
        continue;
      }
      if (buffer.length < expected + 1) break;
      onObject(buffer.subarray(0, expected));
      buffer = buffer.subarray(expected + 1);
      expected = undefined;
    }
  }
}
