import { LfsClient, type Mirror, type MirrorCache, RemoteNotFoundError } from '@repovault/platform/git';
import type { ManifestFile, SnapshotStore } from '@repovault/platform/storage';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EgressRoute } from '../egress/egress-proxy';

export interface PreviousGitState {
  refs: Record<string, string>;
  bundle: ManifestFile | null;
}

export interface GitCapture {
  refs: Record<string, string>;
  files: ManifestFile[];
  lfsObjects: number;
}

function sameRefs(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * Git data of one repository (or its wiki) through the worker's mirror cache: an incremental fetch
 * into the locked bare mirror (rebuilt from the previous snapshot's bundle when the cache is
 * empty), a full bundle — reused as is when no ref moved — and the LFS objects it points at.
 */
export class GitCapturer {
  constructor(private readonly mirrors: MirrorCache, private readonly store: SnapshotStore, private readonly workDir: string) {}

  async capture(options: {
    key: string;
    upstreamUrl: string;
    route: EgressRoute;
    previous: PreviousGitState | null;
    bundlePath: string;
    bundleKind: 'bundle' | 'wiki-bundle';
    lfs: boolean;
    signal?: AbortSignal;
  }): Promise<GitCapture> {
    const remoteUrl = options.route.gitUrl(options.upstreamUrl);
    await mkdir(this.workDir, { recursive: true });
    const seedBundlePath = await this.seedBundle(options.key, options.previous);
    try {
      return await this.mirrors.withMirror(options.key, { remoteUrl, seedBundlePath }, async (mirror) => {
        const refs = await mirror.refs();
        const files: ManifestFile[] = [];
        const unchanged = options.previous?.bundle && sameRefs(options.previous.refs, refs);
        if (unchanged && options.previous?.bundle) {
          files.push({ ...options.previous.bundle, path: options.bundlePath, kind: options.bundleKind });
        } else {
          const file = join(this.workDir, `${options.key}-${Date.now()}.bundle`);
          const bundle = await mirror.createBundle(file);
          if (bundle.created) {
            const stored = await this.store.putFile(file);
            files.push({ path: options.bundlePath, sha256: stored.sha256, bytes: stored.bytes, kind: options.bundleKind });
          }
          await rm(file, { force: true });
        }
        const lfsObjects = options.lfs ? await this.captureLfs(mirror, remoteUrl, options.route, files, options.signal) : 0;
        return { refs, files, lfsObjects };
      }, { signal: options.signal });
    } finally {
      if (seedBundlePath) await rm(seedBundlePath, { force: true });
    }
  }

  /** A wiki that does not exist upstream is not an error: the snapshot simply has none. */
  async captureWiki(options: Parameters<GitCapturer['capture']>[0]): Promise<GitCapture | null> {
    try {
      return await this.capture(options);
    } catch (error) {
      if (error instanceof RemoteNotFoundError) return null;
      throw error;
    }
  }

  private async captureLfs(mirror: Mirror, remoteUrl: string, route: EgressRoute, files: ManifestFile[], signal?: AbortSignal): Promise<number> {
    const pointers = await mirror.lfsPointers();
    if (pointers.length === 0) return 0;
    const client = new LfsClient({ fetch: route.fetch, concurrency: 4 });
    const report = await client.download({
      remoteUrl,
      objects: pointers,
      signal,
      has: (oid) => this.store.has(oid),
      sink: async (oid, body) => {
        const stored = await this.store.putStream(body);
        if (stored.sha256 !== oid) throw new Error(`LFS object ${oid} stored as ${stored.sha256}`);
      },
    });
    const fatal = report.failed.filter((f) => f.reason !== 'missing');
    if (fatal.length > 0) throw new Error(`${fatal.length} LFS object(s) could not be downloaded: ${fatal[0]?.reason} ${fatal[0]?.message ?? ''}`);
    const missing = new Set(report.failed.map((f) => f.oid));
    for (const pointer of pointers) {
      if (missing.has(pointer.oid)) continue;
      files.push({ path: `lfs/${pointer.oid}`, sha256: pointer.oid, bytes: pointer.size, kind: 'lfs' });
    }
    return pointers.length - missing.size;
  }

  /** The previous bundle, copied out of the store, when the mirror cache has nothing for this key. */
  private async seedBundle(key: string, previous: PreviousGitState | null): Promise<string | undefined> {
    if (!previous?.bundle || existsSync(this.mirrors.mirrorPath(key))) return undefined;
    const path = join(this.workDir, `${key}-seed-${Date.now()}.bundle`);
    await pipeline(await this.store.openVerified(previous.bundle.sha256), createWriteStream(path));
    return path;
  }
}
