import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@repovault/testing/provider-simulator';
import type { Redis } from 'ioredis';
import {
  GitCommandError,
  InvalidMirrorKeyError,
  MirrorCache,
  RemoteNotFoundError,
  UnsafeRemoteError,
  type GitRunner,
  type GitSpawnRecord,
  type MirrorCacheOptions,
} from '../src';
import { BareMirror } from '../src/mirror';
import { gitLibSeed, recordingRunner, spawnStrings, tempDir, testRedis, tokenForms } from './support/fixtures';
import { TestEgressProxy, type ProxyExchange } from './support/test-egress-proxy';

/** Bytes of the packfile responses (upload-pack POSTs) among the exchanges. */
const packBytes = (exchanges: readonly ProxyExchange[]): number =>
  exchanges.filter((e) => e.method === 'POST' && e.path.endsWith('/git-upload-pack')).reduce((sum, e) => sum + e.responseBytes, 0);

describe('MirrorCache against the simulator, through a credential-adding proxy', () => {
  let sim: RunningSimulator;
  let proxy: TestEgressProxy;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: ReturnType<typeof testRedis>;
  let git: GitRunner;
  let spawns: GitSpawnRecord[];
  let cache: MirrorCache;
  const measured: Record<string, number> = {};

  const cacheWith = (overrides: Partial<MirrorCacheOptions> = {}, redis: Redis = store.redis): MirrorCache =>
    new MirrorCache({ cacheDir: join(dir.path, 'cache'), redis, lockKeyPrefix: store.prefix, git, lockTtlMs: 3_000, lockWaitMs: 20_000, ...overrides });
  const upstream = (repo: string): Record<string, string> => sim.repository('acme', repo).refs;

  beforeAll(async () => {
    sim = await startSimulator({ seed: gitLibSeed() });
    proxy = await TestEgressProxy.start({ upstream: sim.github.baseUrl, token: sim.tokens.alice });
    dir = await tempDir('mirrors');
    store = testRedis();
    ({ git, spawns } = recordingRunner(join(dir.path, 'home')));
    cache = cacheWith();
  });
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
    await store?.dispose();
    await dir?.dispose();
    console.log(`measured packfile bytes: ${JSON.stringify(measured)}`);
  });
  beforeEach(() => proxy.reset());

  it('clones a missing mirror and gets exactly the upstream refs (branches, tags, pull refs)', async () => {
    const result = await cache.withMirror('acme-moving', { remoteUrl: proxy.remote('acme', 'moving') }, async (mirror) => ({ preparation: mirror.preparation, refs: await mirror.refs() }));
    expect(result.preparation).toEqual({ kind: 'clone', rebuiltBecause: 'missing' });
    expect(result.refs).toEqual(upstream('moving'));
    expect(Object.keys(result.refs)).toEqual(expect.arrayContaining(['refs/heads/main', 'refs/tags/v0.1.0', 'refs/tags/v0.2.0']));
    expect(Object.keys(result.refs).some((r) => r.startsWith('refs/pull/'))).toBe(true);
    measured.clone = packBytes(proxy.exchanges);
    expect(measured.clone).toBeGreaterThan(0);
  });

  it('fetches incrementally: an unchanged remote sends no pack, new commits arrive in a smaller one than the clone', async () => {
    const unchanged = await cache.withMirror('acme-moving', { remoteUrl: proxy.remote('acme', 'moving') }, async (m) => ({ kind: m.preparation.kind, refs: await m.refs() }));
    expect(unchanged).toEqual({ kind: 'fetch', refs: upstream('moving') });
    measured.unchangedFetch = packBytes(proxy.exchanges);
    expect(proxy.exchanges.filter((e) => e.path.endsWith('/git-upload-pack'))).toHaveLength(1); // ls-refs only, no fetch command
    proxy.reset();

    const before = upstream('moving')['refs/heads/main'];
    await sim.addCommits('acme', 'moving', { branch: 'main', count: 2 });
    const after = upstream('moving')['refs/heads/main'];
    expect(after).not.toBe(before);
    const refs = await cache.withMirror('acme-moving', { remoteUrl: proxy.remote('acme', 'moving') }, (m) => m.refs());
    expect(refs).toEqual(upstream('moving'));
    expect(refs['refs/heads/main']).toBe(after);
    measured.incrementalFetch = packBytes(proxy.exchanges);
    expect(measured.incrementalFetch).toBeGreaterThan(0);
    expect(measured.incrementalFetch).toBeLessThan(measured.clone);
  });

  it('reflects a force-push and a deleted branch: refs move, the old tip is referenced by no ref', async () => {
    const branches = Object.keys(upstream('moving')).filter((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main');
    const [rewritten, deleted] = branches.map((r) => r.slice('refs/heads/'.length));
    const { oldSha, newSha } = await sim.forcePush('acme', 'moving', { branch: rewritten });
    // delete a branch upstream with a push through the proxy (alice owns the repository)
    const scratch = join(dir.path, 'scratch.git');
    await git.run(['init', '--quiet', '--bare', scratch]);
    await git.run(['push', '--quiet', proxy.remote('acme', 'moving'), `:refs/heads/${deleted}`], { gitDir: scratch });
    expect(upstream('moving')[`refs/heads/${deleted}`]).toBeUndefined();

    const seen = await cache.withMirror('acme-moving', { remoteUrl: proxy.remote('acme', 'moving') }, async (m) => ({
      refs: await m.refs(),
      containing: await git.text(['for-each-ref', '--contains', oldSha, '--format=%(refname)'], { gitDir: m.path }),
    }));
    expect(seen.refs).toEqual(upstream('moving'));
    expect(seen.refs[`refs/heads/${rewritten}`]).toBe(newSha);
    expect(seen.refs[`refs/heads/${deleted}`]).toBeUndefined();
    expect(Object.values(seen.refs)).not.toContain(oldSha);
    expect(seen.containing.trim()).toBe('');
  });

  it('rebuilds a deleted mirror from a seed bundle, then fetches only what is newer', async () => {
    const source = { remoteUrl: proxy.remote('acme', 'seeded') };
    const bundle = join(dir.path, 'seeded.bundle');
    const made = await cache.withMirror('acme-seeded', source, (m) => m.createBundle(bundle));
    expect(made).toEqual({ created: true, refs: Object.keys(upstream('seeded')).length });
    const freshClone = packBytes(proxy.exchanges);

    await rm(cache.mirrorPath('acme-seeded'), { recursive: true, force: true });
    await sim.addCommits('acme', 'seeded', { branch: 'main', count: 1 });
    proxy.reset();
    const rebuilt = await cache.withMirror('acme-seeded', { ...source, seedBundlePath: bundle }, async (m) => ({
      preparation: m.preparation,
      refs: await m.refs(),
      url: (await git.text(['config', 'remote.origin.url'], { gitDir: m.path })).trim(),
    }));
    expect(rebuilt.preparation).toEqual({ kind: 'seed-bundle', rebuiltBecause: 'missing' });
    expect(rebuilt.refs).toEqual(upstream('seeded'));
    expect(rebuilt.url).toBe(source.remoteUrl);
    measured.seedBundleFetch = packBytes(proxy.exchanges);
    measured.seededFreshClone = freshClone;
    expect(measured.seedBundleFetch).toBeLessThan(freshClone);
  });

  it('falls back to a fresh clone when the seed bundle is unusable', async () => {
    const bundle = join(dir.path, 'garbage.bundle');
    await writeFile(bundle, 'not a bundle\n');
    const prepared = await cache.withMirror('acme-bundled-fallback', { remoteUrl: proxy.remote('acme', 'bundled'), seedBundlePath: bundle }, async (m) => ({
      preparation: m.preparation,
      refs: await m.refs(),
    }));
    expect(prepared.preparation).toMatchObject({ kind: 'clone', rebuiltBecause: 'missing', seedBundleError: expect.stringContaining('git clone failed') });
    expect(prepared.refs).toEqual(upstream('bundled'));
  });

  it('rebuilds a corrupt mirror: objects missing, or HEAD missing', async () => {
    const source = { remoteUrl: proxy.remote('acme', 'corrupt') };
    await cache.withMirror('acme-corrupt', source, (m) => m.refs());
    const packDir = join(cache.mirrorPath('acme-corrupt'), 'objects', 'pack');
    const packs = await readdir(packDir);
    expect(packs.some((f) => f.endsWith('.pack'))).toBe(true);
    await Promise.all(packs.map((f) => rm(join(packDir, f))));
    const afterObjectsLost = await cache.withMirror('acme-corrupt', source, async (m) => ({ preparation: m.preparation, refs: await m.refs() }));
    expect(afterObjectsLost).toEqual({ preparation: { kind: 'clone', rebuiltBecause: 'corrupt' }, refs: upstream('corrupt') });

    await rm(join(cache.mirrorPath('acme-corrupt'), 'HEAD'));
    const afterHeadLost = await cache.withMirror('acme-corrupt', source, (m) => Promise.resolve(m.preparation));
    expect(afterHeadLost).toEqual({ kind: 'clone', rebuiltBecause: 'corrupt' });
  });

  it('writes a bundle that clones back to the same refs; an empty repository yields no bundle and says so', async () => {
    const bundle = join(dir.path, 'bundled.bundle');
    const refs = await cache.withMirror('acme-bundled', { remoteUrl: proxy.remote('acme', 'bundled') }, async (m) => {
      expect(await m.createBundle(bundle)).toEqual({ created: true, refs: Object.keys(upstream('bundled')).length });
      return m.refs();
    });
    const restored = join(dir.path, 'restored.git');
    await git.run(['clone', '--mirror', '--quiet', bundle, restored]);
    const restoredMirror = new BareMirror(restored, { kind: 'clone' }, new AbortController().signal, git);
    expect(await restoredMirror.refs()).toEqual(refs);
    await git.run(['fsck', '--connectivity-only', '--no-progress'], { gitDir: restored });

    const empty = join(dir.path, 'empty.git');
    await git.run(['init', '--quiet', '--bare', empty]);
    const emptyMirror = new BareMirror(empty, { kind: 'clone' }, new AbortController().signal, git);
    const emptyBundle = join(dir.path, 'empty.bundle');
    expect(await emptyMirror.createBundle(emptyBundle)).toEqual({ created: false, refs: 0 });
    await expect(readFile(emptyBundle)).rejects.toThrow(/ENOENT/);
    expect(await emptyMirror.lfsPointers()).toEqual([]);
  });

  it('lists every LFS pointer reachable from any ref: exactly the upstream LFS objects', async () => {
    const pointers = await cache.withMirror('acme-lfs-wiki', { remoteUrl: proxy.remote('acme', 'lfs-wiki') }, (m) => m.lfsPointers());
    expect(pointers.map((p) => p.oid)).toEqual(sim.repository('acme', 'lfs-wiki').lfsOids);
    expect(pointers.length).toBe(4);
    for (const p of pointers) expect(p.size).toBeGreaterThan(0);
    // a repository without LFS has none
    expect(await cache.withMirror('acme-bundled', { remoteUrl: proxy.remote('acme', 'bundled') }, (m) => m.lfsPointers())).toEqual([]);
  });

  it('mirrors a wiki with the same API; a wiki that does not exist is a RemoteNotFoundError and leaves nothing behind', async () => {
    const wikiRefs = await cache.withMirror('acme-lfs-wiki.wiki', { remoteUrl: proxy.remote('acme', 'lfs-wiki.wiki') }, (m) => m.refs());
    expect(wikiRefs).toEqual(sim.repository('acme', 'lfs-wiki').wikiRefs);

    const missing = cache.withMirror('acme-moving.wiki', { remoteUrl: proxy.remote('acme', 'moving.wiki') }, (m) => m.refs());
    await expect(missing).rejects.toBeInstanceOf(RemoteNotFoundError);
    await expect(missing).rejects.toBeInstanceOf(GitCommandError);
    await expect(readdir(cache.mirrorPath('acme-moving.wiki'))).rejects.toThrow(/ENOENT/);
    expect(await readdir(join(dir.path, 'cache', '.tmp'))).toEqual([]);
    expect(await store.redis.exists(cache.lockKey('acme-moving.wiki'))).toBe(0);
    // an unknown repository is the same error
    await expect(cache.withMirror('acme-nope', { remoteUrl: proxy.remote('acme', 'nope') }, (m) => m.refs())).rejects.toBeInstanceOf(RemoteNotFoundError);
  });

  it('never lets git see the token: not in the config, argv, environment, errors, or any request git sent', async () => {
    spawns.length = 0;
    const key = 'acme-secrets';
    await cache.withMirror(key, { remoteUrl: proxy.remote('acme', 'secrets') }, (m) => m.refs());
    await sim.addCommits('acme', 'secrets', { branch: 'main', count: 1 });
    await cache.withMirror(key, { remoteUrl: proxy.remote('acme', 'secrets') }, (m) => m.refs());
    const failure: unknown = await cache.withMirror('acme-secrets.wiki', { remoteUrl: proxy.remote('acme', 'secrets.wiki') }, (m) => m.refs()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RemoteNotFoundError);

    const token = sim.tokens.alice;
    const config = await readFile(join(cache.mirrorPath(key), 'config'), 'utf8');
    expect(config).toContain(proxy.remote('acme', 'secrets'));
    const texts = [config, ...spawnStrings(spawns), String(failure), JSON.stringify(failure), (failure as GitCommandError).stderrTail, (failure as Error).stack ?? ''];
    expect(spawns.length).toBeGreaterThan(5);
    for (const text of texts) for (const form of tokenForms(token)) expect(text).not.toContain(form);
    // the environment is exactly the fixed one, whatever the test process has
    for (const s of spawns) expect(Object.keys(s.env).sort()).toEqual(['GIT_CEILING_DIRECTORIES', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_TERMINAL_PROMPT', 'HOME', 'LANG', 'LC_ALL', 'PATH']);
    // git never sent an Authorization header itself: the proxy added every one
    const gitRequests = proxy.exchanges.filter((e) => /\.git\/(info\/refs|git-upload-pack)$/.test(e.path));
    expect(gitRequests.length).toBeGreaterThan(0);
    expect(gitRequests.every((e) => !e.clientAuthorization)).toBe(true);
  });

  it('refuses remotes with credentials (without repeating them) and keys that could escape the cache', async () => {
    const before = spawns.length;
    const leaky = `http://x-access-token:${sim.tokens.alice}@127.0.0.1:1/acme/secrets.git`;
    const error: unknown = await cache.withMirror('acme-secrets', { remoteUrl: leaky }, (m) => m.refs()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsafeRemoteError);
    expect(String(error)).not.toContain(sim.tokens.alice);
    await expect(cache.withMirror('acme-secrets', { remoteUrl: `${proxy.remote('acme', 'secrets')}?access_token=abc` }, (m) => m.refs())).rejects.toBeInstanceOf(UnsafeRemoteError);
    await expect(cache.withMirror('acme-secrets', { remoteUrl: 'ext::sh -c touch% /tmp/pwned' }, (m) => m.refs())).rejects.toBeInstanceOf(UnsafeRemoteError);
    for (const key of ['../escape', '.hidden', 'a/b', 'x.lock', 'a..b', '', 'x'.repeat(201)]) {
      await expect(cache.withMirror(key, { remoteUrl: proxy.remote('acme', 'secrets') }, (m) => m.refs())).rejects.toBeInstanceOf(InvalidMirrorKeyError);
    }
    expect(spawns.length).toBe(before);
  });
});
