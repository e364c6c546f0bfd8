import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@repovault/testing/provider-simulator';
import { Redis } from 'ioredis';
import { LockLostError, LockTimeoutError, MirrorCache, RedisLock, type GitRunner, type MirrorCacheOptions } from '../src';
import { deferred, gitLibSeed, recordingRunner, REDIS_URL, tempDir, testRedis } from './support/fixtures';
import { TestEgressProxy } from './support/test-egress-proxy';

describe('MirrorCache locking (Redis, across processes)', () => {
  let sim: RunningSimulator;
  let proxy: TestEgressProxy;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: ReturnType<typeof testRedis>;
  let git: GitRunner;
  /** A second connection, as another worker process would have. */
  let otherRedis: Redis;

  const cacheWith = (overrides: Partial<MirrorCacheOptions> = {}): MirrorCache =>
    new MirrorCache({ cacheDir: join(dir.path, 'cache'), redis: store.redis, lockKeyPrefix: store.prefix, git, lockTtlMs: 3_000, lockWaitMs: 20_000, ...overrides });
  const source = (repo: string): { remoteUrl: string } => ({ remoteUrl: proxy.remote('acme', repo) });

  beforeAll(async () => {
    sim = await startSimulator({ seed: gitLibSeed() });
    proxy = await TestEgressProxy.start({ upstream: sim.github.baseUrl, token: sim.tokens.alice });
    dir = await tempDir('locks');
    store = testRedis();
    otherRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    ({ git } = recordingRunner(join(dir.path, 'home')));
  });
  afterAll(async () => {
    await otherRedis?.quit();
    await proxy?.close();
    await sim?.close();
    await store?.dispose();
    await dir?.dispose();
  });

  it('serializes two withMirror calls on the same key from two processes: the second waits for the first', async () => {
    const first = cacheWith();
    const second = cacheWith({ redis: otherRedis });
    const events: string[] = [];
    const firstEntered = deferred();
    const releaseFirst = deferred();
    const a = first.withMirror('acme-lock-a', source('lock-a'), async () => {
      events.push('first:enter');
      firstEntered.resolve();
      await releaseFirst.promise;
      events.push('first:exit');
    });
    await firstEntered.promise;
    const b = second.withMirror('acme-lock-a', source('lock-a'), async (m) => {
      events.push(`second:enter:${m.preparation.kind}`);
      return Promise.resolve();
    });
    await new Promise((r) => setTimeout(r, 400)); // the second is polling by now
    expect(events).toEqual(['first:enter']);
    releaseFirst.resolve();
    await Promise.all([a, b]);
    expect(events).toEqual(['first:enter', 'first:exit', 'second:enter:fetch']);
    expect(await store.redis.exists(first.lockKey('acme-lock-a'))).toBe(0);
  });

  it('runs different keys in parallel', async () => {
    const cache = cacheWith();
    const other = cacheWith({ redis: otherRedis });
    const events: string[] = [];
    const aEntered = deferred();
    const bEntered = deferred();
    const within = async <T>(p: Promise<T>): Promise<T | 'timed out'> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timed out'>((r) => (timer = setTimeout(() => r('timed out'), 10_000)));
      try {
        return await Promise.race([p, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    await Promise.all([
      cache.withMirror('acme-lock-a', source('lock-a'), async () => {
        events.push('a:enter');
        aEntered.resolve();
        events.push(`a:saw-b:${String(await within(bEntered.promise))}`);
      }),
      other.withMirror('acme-lock-b', source('lock-b'), async () => {
        events.push('b:enter');
        bEntered.resolve();
        events.push(`b:saw-a:${String(await within(aEntered.promise))}`);
      }),
    ]);
    expect(events.filter((e) => e.includes('saw')).sort()).toEqual(['a:saw-b:undefined', 'b:saw-a:undefined']);
  });

  it('does not wait forever for a holder that died: its lock expires after the TTL', async () => {
    const cache = cacheWith({ lockWaitMs: 10_000 });
    // a crashed worker: it took the lock and will never renew or release it
    await otherRedis.set(cache.lockKey('acme-lock-b'), 'token-of-a-dead-process', 'PX', 1_200, 'NX');
    const started = Date.now();
    const kind = await cache.withMirror('acme-lock-b', source('lock-b'), (m) => Promise.resolve(m.preparation.kind));
    const waited = Date.now() - started;
    expect(kind).toBe('fetch');
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(8_000);
  });

  it('gives up with LockTimeoutError after lockWaitMs while another process holds the key', async () => {
    const cache = cacheWith({ lockWaitMs: 300 });
    await otherRedis.set(cache.lockKey('acme-lock-b'), 'token-of-a-live-process', 'PX', 5_000, 'NX');
    let ran = false;
    await expect(
      cache.withMirror('acme-lock-b', source('lock-b'), () => {
        ran = true;
        return Promise.resolve();
      }),
    ).rejects.toBeInstanceOf(LockTimeoutError);
    expect(ran).toBe(false);
    expect(await otherRedis.get(cache.lockKey('acme-lock-b'))).toBe('token-of-a-live-process'); // never touched another's lock
    await otherRedis.del(cache.lockKey('acme-lock-b'));
  });

  it('renews the lock while held, so a long holder keeps it past its TTL', async () => {
    const holder = cacheWith({ lockTtlMs: 600 });
    const waiter = cacheWith({ redis: otherRedis, lockTtlMs: 600, lockWaitMs: 1_500 });
    const observed = await holder.withMirror('acme-lock-a', source('lock-a'), async () => {
      const started = Date.now();
      const refused = await waiter.withMirror('acme-lock-a', source('lock-a'), () => Promise.resolve('acquired')).catch((e: unknown) => e);
      return { refused, held: Date.now() - started, ttl: await store.redis.pttl(holder.lockKey('acme-lock-a')) };
    });
    expect(observed.refused).toBeInstanceOf(LockTimeoutError);
    expect(observed.held).toBeGreaterThanOrEqual(1_400); // more than two TTLs
    expect(observed.ttl).toBeGreaterThan(0);
    expect(observed.ttl).toBeLessThanOrEqual(600);
  });

  it('aborts the mirror signal and fails when the lock is lost while held, leaving the new holder alone', async () => {
    const cache = cacheWith({ lockTtlMs: 600 });
    const key = cache.lockKey('acme-lock-a');
    const outcome = cache.withMirror('acme-lock-a', source('lock-a'), async (mirror) => {
      // the lock expired (a stalled process) and another worker took it
      await otherRedis.set(key, 'token-of-the-new-holder', 'PX', 5_000);
      await new Promise<void>((resolve) => mirror.signal.addEventListener('abort', () => resolve(), { once: true }));
      return mirror.signal.aborted;
    });
    await expect(outcome).rejects.toBeInstanceOf(LockLostError);
    expect(await otherRedis.get(key)).toBe('token-of-the-new-holder');
    await otherRedis.del(key);
  });

  it('releases the lock when the callback throws, and passes the error on', async () => {
    const cache = cacheWith();
    await expect(cache.withMirror('acme-lock-b', source('lock-b'), () => Promise.reject(new Error('callback failed')))).rejects.toThrow('callback failed');
    expect(await store.redis.exists(cache.lockKey('acme-lock-b'))).toBe(0);
  });

  it('RedisLock: compare-and-delete never removes a lock that is no longer ours', async () => {
    const lock = new RedisLock(store.redis, { ttlMs: 400, waitMs: 0 });
    const key = `${store.prefix}plain-lock`;
    const held = await lock.acquire(key);
    await expect(lock.acquire(key)).rejects.toBeInstanceOf(LockTimeoutError);
    await otherRedis.set(key, 'someone-else', 'PX', 5_000);
    expect(await held.release()).toBe(false);
    expect(await otherRedis.get(key)).toBe('someone-else');
  });
});
