import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Redis } from 'ioredis';
import { GitCommandError, UnsafeRemoteError } from './git-errors';
import { GitRunner } from './git-runner';
import { BareMirror, type Mirror, type MirrorPreparation } from './mirror';
import { assertSafeRemoteUrl, scrubText } from './redaction';
import { LockLostError, RedisLock } from './redis-lock';

export interface MirrorSource {
  /** The remote without credentials, e.g. the egress proxy's `http://127.0.0.1:<port>/<route>/owner/repo.git`. */
  remoteUrl: string;
  /** A bundle of an earlier snapshot to rebuild a missing or corrupt mirror from before fetching. */
  seedBundlePath?: string;
}

export interface MirrorCacheOptions {
  /** Mirrors live at `<cacheDir>/<key>.git`; the cache may be wiped at any time. */
  cacheDir: string;
  redis: Redis;
  /** Lock lifetime, renewed every ttl/3 while held (default 60 s). */
  lockTtlMs?: number;
  /** How long `withMirror` waits for another holder (default 30 min). */
  lockWaitMs?: number;
  /** Prefix of the Redis lock keys (default `repovault:git:`); the key is `<prefix>mirror-lock:<key>`. */
  lockKeyPrefix?: string;
  /** Default: a runner with HOME at `<cacheDir>/.git-home`. */
  git?: GitRunner;
  /** Timeout of one clone or fetch (default: the runner's). */
  transferTimeoutMs?: number;
  /**
   * Check of a cached mirror on entry: `connectivity` runs `git fsck --connectivity-only` (default),
   * `refs` only checks that HEAD and the refs resolve (faster on very large repositories).
   */
  verify?: 'connectivity' | 'refs';
}

export interface WithMirrorOptions {
  signal?: AbortSignal;
}

/** A mirror key that could escape the cache directory or collide with its own files. */
export class InvalidMirrorKeyError extends Error {
  override readonly name = 'InvalidMirrorKeyError';
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const MIRROR_REFSPEC = '+refs/*:refs/*';

/**
 * Bare mirrors kept as a cache, one per repository key, each used by one process at a time across
 * every host (a Redis lock). Entering brings the mirror up to date: an incremental fetch with mirror
 * semantics, or a rebuild (seed bundle, else fresh clone) when it is missing or corrupt.
 */
export class MirrorCache {
  private readonly git: GitRunner;
  private readonly lock: RedisLock;
  private readonly lockKeyPrefix: string;
  private readonly tmpDir: string;

  constructor(private readonly options: MirrorCacheOptions) {
    this.git = options.git ?? new GitRunner({ homeDir: join(options.cacheDir, '.git-home') });
    const ttlMs = options.lockTtlMs ?? 60_000;
    this.lock = new RedisLock(options.redis, { ttlMs, waitMs: options.lockWaitMs ?? 30 * 60_000 });
    this.lockKeyPrefix = options.lockKeyPrefix ?? 'repovault:git:';
    this.tmpDir = join(options.cacheDir, '.tmp');
  }

  /** Path of a key's mirror (it may not exist). */
  mirrorPath(key: string): string {
    assertValidKey(key);
    return join(this.options.cacheDir, `${key}.git`);
  }

  /** Redis key of a mirror's lock. */
  lockKey(key: string): string {
    assertValidKey(key);
    return `${this.lockKeyPrefix}mirror-lock:${key}`;
  }

  async withMirror<T>(key: string, source: MirrorSource, fn: (mirror: Mirror) => Promise<T>, options: WithMirrorOptions = {}): Promise<T> {
    const path = this.mirrorPath(key);
    assertSafeRemoteUrl(source.remoteUrl);
    if (source.seedBundlePath !== undefined && (source.seedBundlePath === '' || source.seedBundlePath.startsWith('-'))) {
      throw new UnsafeRemoteError('seed bundle path must be a file path');
    }
    // git runs in its own (empty) HOME: a relative bundle path must not resolve there
    if (source.seedBundlePath !== undefined) source = { ...source, seedBundlePath: resolve(source.seedBundlePath) };
    const held = await this.lock.acquire(this.lockKey(key), options.signal);
    const signal = options.signal ? AbortSignal.any([held.lost, options.signal]) : held.lost;
    let outcome: { ok: true; value: T } | { ok: false; error: unknown };
    try {
      const preparation = await this.prepare(key, path, source, signal);
      outcome = { ok: true, value: await fn(new BareMirror(path, preparation, signal, this.git)) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    let released: boolean;
    try {
      released = await held.release();
    } catch {
      // Redis away: the lock expires on its own
      released = !held.lost.aborted;
    }
    if (held.lost.aborted || !released) {
      const reason: unknown = held.lost.reason;
      throw reason instanceof LockLostError ? reason : new LockLostError(`lock of mirror ${key} was lost while in use`);
    }
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  private async prepare(key: string, path: string, source: MirrorSource, signal: AbortSignal): Promise<MirrorPreparation> {
    await this.removeTemporaries(key);
    const health = await this.inspect(path, signal);
    if (health === 'ok') {
      await this.configureOrigin(path, source.remoteUrl, signal);
      await this.fetch(path, signal);
      return { kind: 'fetch' };
    }
    await rm(path, { recursive: true, force: true });
    let seedBundleError: string | undefined;
    if (source.seedBundlePath !== undefined) {
      const seeded = await this.cloneInto(key, path, source.seedBundlePath, source.remoteUrl, signal).then(
        () => true,
        (error: unknown) => {
          if (signal.aborted) throw error;
          seedBundleError = scrubText(error instanceof Error ? error.message : String(error));
          return false;
        },
      );
      if (seeded) {
        await this.fetch(path, signal);
        return { kind: 'seed-bundle', rebuiltBecause: health };
      }
    }
    await this.cloneInto(key, path, source.remoteUrl, source.remoteUrl, signal);
    return seedBundleError === undefined ? { kind: 'clone', rebuiltBecause: health } : { kind: 'clone', rebuiltBecause: health, seedBundleError };
  }

  /** Missing, corrupt (no HEAD, not a repository, or objects missing), or usable. */
  private async inspect(path: string, signal: AbortSignal): Promise<'missing' | 'corrupt' | 'ok'> {
    const isDir = await stat(path).then(
      (s) => s.isDirectory(),
      () => undefined,
    );
    if (isDir === undefined) return 'missing';
    if (!isDir) return 'corrupt';
    const headIsFile = await stat(join(path, 'HEAD')).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!headIsFile) return 'corrupt';
    try {
      const bare = await this.git.text(['rev-parse', '--is-bare-repository'], { gitDir: path, signal });
      if (bare.trim() !== 'true') return 'corrupt';
      if ((this.options.verify ?? 'connectivity') === 'connectivity') {
        await this.git.run(['fsck', '--connectivity-only', '--no-dangling', '--no-progress'], { gitDir: path, signal });
      } else {
        await this.git.run(['for-each-ref', '--format=%(objectname)'], { gitDir: path, signal });
      }
      return 'ok';
    } catch (error) {
      if (signal.aborted || !(error instanceof GitCommandError)) throw error;
      return 'corrupt';
    }
  }

  /** `clone --mirror` into a temporary directory, point origin at the remote, then rename into place. */
  private async cloneInto(key: string, path: string, from: string, remoteUrl: string, signal: AbortSignal): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
    const temporary = join(this.tmpDir, `${key}@${randomBytes(6).toString('hex')}.git`);
    try {
      await this.git.run(['clone', '--mirror', '--quiet', '--', from, temporary], { signal, timeoutMs: this.options.transferTimeoutMs });
      await this.configureOrigin(temporary, remoteUrl, signal);
      await rename(temporary, path);
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
  }

  /** The proxy's port changes with every worker process: set the URL (and mirror refspec) each time. */
  private async configureOrigin(path: string, remoteUrl: string, signal: AbortSignal): Promise<void> {
    await this.git.run(['config', 'remote.origin.url', remoteUrl], { gitDir: path, signal });
    await this.git.run(['config', '--replace-all', 'remote.origin.fetch', MIRROR_REFSPEC], { gitDir: path, signal });
    await this.git.run(['config', 'remote.origin.mirror', 'true'], { gitDir: path, signal });
  }

  /** Mirror semantics: forced updates, deleted branches and tags pruned. */
  private async fetch(path: string, signal: AbortSignal): Promise<void> {
    await this.git.run(['fetch', '--quiet', '--prune', '--prune-tags', '--no-write-fetch-head', 'origin', MIRROR_REFSPEC], {
      gitDir: path,
      signal,
      timeoutMs: this.options.transferTimeoutMs,
    });
  }

  /** Leftovers of an interrupted rebuild of this key (we hold its lock, so none is in use). */
  private async removeTemporaries(key: string): Promise<void> {
    const entries = await readdir(this.tmpDir).catch(() => [] as string[]);
    await Promise.all(entries.filter((name) => name.startsWith(`${key}@`)).map((name) => rm(join(this.tmpDir, name), { recursive: true, force: true })));
  }
}

function assertValidKey(key: string): void {
  if (!KEY.test(key) || key.includes('..') || key.endsWith('.lock')) {
    throw new InvalidMirrorKeyError('mirror key must be 1-200 characters of A-Z a-z 0-9 . _ -, start with a letter or digit, and contain no ".."');
  }
}
