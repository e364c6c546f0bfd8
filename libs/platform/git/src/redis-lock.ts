import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Waited longer than allowed for a lock another process holds. */
export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

/** The lock expired or was taken over while held (a stalled event loop, a Redis failover). */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
}

export interface RedisLockOptions {
  /** Lock lifetime; renewed every ttl/3 while held. */
  ttlMs: number;
  /** How long `acquire` waits for a held lock before it fails. */
  waitMs: number;
  /** First and largest pause between attempts (default 25 ms and 1 s); doubled each time, with jitter. */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/** A held lock: renewed in the background until released. */
export interface HeldLock {
  readonly key: string;
  /** Aborted (with a LockLostError reason) when a renewal finds the lock gone or cannot reach Redis for a whole TTL. */
  readonly lost: AbortSignal;
  /** Stops renewing and deletes the key if it is still ours; false when it no longer was. */
  release(): Promise<boolean>;
}

// Deletes / extends only when the value is still our token: never another holder's lock.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/**
 * A single-instance Redis lock: `SET key token NX PX ttl`, renewed by compare-and-pexpire every
 * ttl/3, released by compare-and-delete. A holder that dies stops renewing and its lock expires
 * after at most one TTL.
 */
export class RedisLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisLockOptions,
  ) {
    if (!(options.ttlMs >= 300)) throw new RangeError('lock ttl must be at least 300 ms');
  }

  async acquire(key: string, signal?: AbortSignal): Promise<HeldLock> {
    const token = randomBytes(16).toString('hex');
    const deadline = Date.now() + this.options.waitMs;
    let pause = this.options.retryMinMs ?? 25;
    const maxPause = this.options.retryMaxMs ?? 1_000;
    for (;;) {
      signal?.throwIfAborted();
      if ((await this.redis.set(key, token, 'PX', this.options.ttlMs, 'NX')) === 'OK') return this.hold(key, token);
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(`lock ${key} still held by another process after ${this.options.waitMs} ms`);
      await sleep(Math.min(left, pause / 2 + Math.random() * pause), signal);
      pause = Math.min(maxPause, pause * 2);
    }
  }

  private hold(key: string, token: string): HeldLock {
    const { ttlMs } = this.options;
    const lost = new AbortController();
    let lastRenewed = Date.now();
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;

    const renew = async (): Promise<void> => {
      try {
        const result = await this.redis.eval(RENEW, 1, key, token, String(ttlMs));
        if (result === 1) lastRenewed = Date.now();
        else lost.abort(new LockLostError(`lock ${key} was lost: it expired or another process took it`));
      } catch (error) {
        // Redis unreachable: the lock may still be ours until its TTL runs out
        if (Date.now() - lastRenewed >= ttlMs) {
          const reason = error instanceof Error ? error.message : String(error);
          lost.abort(new LockLostError(`lock ${key} could not be renewed for a whole TTL: ${reason}`));
        }
      }
    };
    const schedule = (): void => {
      if (stopped || lost.signal.aborted) return;
      timer = setTimeout(() => {
        void renew().finally(schedule);
      }, Math.max(50, Math.floor(ttlMs / 3)));
    };
    schedule();

    return {
      key,
      lost: lost.signal,
      release: async () => {
        stopped = true;
        clearTimeout(timer);
        return (await this.redis.eval(RELEASE, 1, key, token)) === 1;
      },
    };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
