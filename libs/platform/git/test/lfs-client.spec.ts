import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { startSimulator, type RunningSimulator } from '@repovault/testing/provider-simulator';
import { LfsBatchError, LfsClient, MirrorCache, type LfsObjectRef, type LfsSink, type LfsTransferReport } from '../src';
import { gitLibSeed, recordingRunner, tempDir, testRedis } from './support/fixtures';
import { TestEgressProxy } from './support/test-egress-proxy';

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** A store that keeps an object only once its stream ended cleanly, as the snapshot store publishes. */
function memoryStore(): { objects: Map<string, Buffer>; sink: LfsSink; has: (oid: string) => Promise<boolean> } {
  const objects = new Map<string, Buffer>();
  return {
    objects,
    sink: async (oid, body) => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      objects.set(oid, Buffer.concat(chunks));
    },
    has: (oid) => Promise.resolve(objects.has(oid)),
  };
}

describe('LfsClient against the simulator, through a credential-adding proxy', () => {
  let sim: RunningSimulator;
  let proxy: TestEgressProxy;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let store: ReturnType<typeof testRedis>;
  let pointers: LfsObjectRef[];
  let client: LfsClient;

  const objectGets = (): number => proxy.exchanges.filter((e) => e.method === 'GET' && /\/info\/lfs\/objects\/[0-9a-f]{64}$/.test(e.path)).length;
  const batchCalls = (): number => proxy.exchanges.filter((e) => e.path.endsWith('/info/lfs/objects/batch')).length;

  beforeAll(async () => {
    sim = await startSimulator({ seed: gitLibSeed() });
    proxy = await TestEgressProxy.start({ upstream: sim.github.baseUrl, token: sim.tokens.alice });
    dir = await tempDir('lfs');
    store = testRedis();
    const cache = new MirrorCache({ cacheDir: join(dir.path, 'cache'), redis: store.redis, lockKeyPrefix: store.prefix, git: recordingRunner(join(dir.path, 'home')).git });
    pointers = await cache.withMirror('acme-lfs-wiki', { remoteUrl: proxy.remote('acme', 'lfs-wiki') }, (m) => m.lfsPointers());
    client = new LfsClient({ fetch: proxy.fetch, concurrency: 3 });
  });
  afterAll(async () => {
    await proxy?.close();
    await sim?.close();
    await store?.dispose();
    await dir?.dispose();
  });
  beforeEach(() => {
    proxy.reset();
    proxy.tamper = () => undefined;
  });

  it('downloads exactly the objects the pointers name, verified, into the sink', async () => {
    const target = memoryStore();
    const report = await client.download({ remoteUrl: proxy.remote('acme', 'lfs-wiki'), objects: pointers, sink: target.sink, has: target.has });
    expect(report.failed).toEqual([]);
    expect(report.transferred).toEqual(pointers);
    expect(report.bytes).toBe(pointers.reduce((s, p) => s + p.size, 0));
    expect([...target.objects.keys()].sort()).toEqual(sim.repository('acme', 'lfs-wiki').lfsOids);
    for (const [oid, bytes] of target.objects) expect(sha256(bytes)).toBe(oid);
    expect(batchCalls()).toBe(1);
    expect(objectGets()).toBe(pointers.length);
    // the client never sent credentials of its own to the batch API: the proxy added them
    expect(proxy.exchanges.filter((e) => e.path.endsWith('/batch')).every((e) => !e.clientAuthorization)).toBe(true);

    // objects the sink holds are skipped without a request
    proxy.reset();
    const again = await client.download({ remoteUrl: proxy.remote('acme', 'lfs-wiki'), objects: pointers, sink: target.sink, has: target.has });
    expect(again).toEqual({ transferred: [], skipped: pointers, failed: [], bytes: 0 });
    expect(proxy.exchanges).toEqual([]);
  });

  it('splits the batch API calls (at most batchSize objects each) and bounds concurrency', async () => {
    let inSink = 0;
    let peak = 0;
    const small = new LfsClient({ fetch: proxy.fetch, batchSize: 2, concurrency: 2 });
    const report = await small.download({
      remoteUrl: proxy.remote('acme', 'lfs-wiki'),
      objects: pointers,
      sink: async (_oid, body) => {
        peak = Math.max(peak, ++inSink);
        for await (const chunk of body) void chunk;
        await new Promise((r) => setTimeout(r, 30));
        inSink--;
      },
    });
    expect(report.transferred).toHaveLength(pointers.length);
    expect(batchCalls()).toBe(Math.ceil(pointers.length / 2));
    expect(peak).toBe(2);
  });

  it('reports an object missing upstream and still fetches the others', async () => {
    const target = memoryStore();
    const ghost = { oid: sha256(Buffer.from('never uploaded')), size: 14 };
    const report = await client.download({ remoteUrl: proxy.remote('acme', 'lfs-wiki'), objects: [...pointers, ghost], sink: target.sink });
    expect(report.transferred).toEqual(pointers);
    expect(report.failed).toEqual([expect.objectContaining({ ...ghost, reason: 'missing', status: 404 })]);
    expect(target.objects.size).toBe(pointers.length);
  });

  it('rejects tampered bytes (wrong hash) and truncated bytes before the sink sees a clean end', async () => {
    const [tampered, truncated] = pointers;
    proxy.tamper = (path) => {
      if (path.endsWith(tampered.oid)) return (body) => Buffer.concat([body.subarray(0, body.length - 1), Buffer.from([body[body.length - 1] ^ 0xff])]);
      if (path.endsWith(truncated.oid)) return (body) => body.subarray(0, body.length - 10);
      return undefined;
    };
    const target = memoryStore();
    const report = await client.download({ remoteUrl: proxy.remote('acme', 'lfs-wiki'), objects: pointers, sink: target.sink });
    expect(report.failed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ oid: tampered.oid, reason: 'hash-mismatch' }),
        expect.objectContaining({ oid: truncated.oid, reason: 'size-mismatch' }),
      ]),
    );
    expect(report.failed).toHaveLength(2);
    expect(report.transferred).toEqual(pointers.slice(2));
    expect(target.objects.has(tampered.oid)).toBe(false);
    expect(target.objects.has(truncated.oid)).toBe(false);
  });

  it('catches wrong bytes even when a careless sink resolves anyway', async () => {
    const [tampered] = pointers;
    proxy.tamper = (path) => (path.endsWith(tampered.oid) ? (body) => Buffer.alloc(body.length, 7) : undefined);
    const careless: LfsSink = async (_oid, body) => {
      body.on('error', () => undefined);
      body.resume();
      await new Promise((r) => body.once('close', r));
    };
    const report = await client.download({ remoteUrl: proxy.remote('acme', 'lfs-wiki'), objects: [tampered], sink: careless });
    expect(report.failed).toEqual([expect.objectContaining({ oid: tampered.oid, reason: 'hash-mismatch' })]);
  });

  it('uploads objects (batch upload, PUT), skips what the server has, and they download back intact', async () => {
    const source = memoryStore();
    await client.download({ remoteUrl: proxy.remote('acme', 'lfs-wiki'), objects: pointers, sink: source.sink });
    const open = (oid: string): Promise<Readable> => Promise.resolve(Readable.from([source.objects.get(oid) as Buffer]));
    expect(sim.repository('acme', 'uploads').lfsOids).toEqual([]);

    const uploaded = await client.upload({ remoteUrl: proxy.remote('acme', 'uploads'), objects: pointers, open });
    expect(uploaded.failed).toEqual([]);
    expect(uploaded.transferred).toEqual(pointers);
    expect(sim.repository('acme', 'uploads').lfsOids).toEqual(pointers.map((p) => p.oid));

    const repeated = await client.upload({ remoteUrl: proxy.remote('acme', 'uploads'), objects: pointers, open });
    expect(repeated.skipped).toEqual(pointers);
    expect(repeated.transferred).toEqual([]);

    const back = memoryStore();
    const report = await client.download({ remoteUrl: proxy.remote('acme', 'uploads'), objects: pointers, sink: back.sink });
    expect(report.transferred).toEqual(pointers);
    for (const p of pointers) expect(back.objects.get(p.oid)).toEqual(source.objects.get(p.oid));
  });

  it('refuses to upload a local copy whose bytes do not match its oid', async () => {
    const content = Buffer.from('the real content of a new object\n');
    const object = { oid: sha256(content), size: content.length };
    const report = await client.upload({
      remoteUrl: proxy.remote('acme', 'uploads'),
      objects: [object],
      open: () => Promise.resolve(Readable.from([Buffer.alloc(content.length, 0x41)])),
    });
    expect(report.failed).toEqual([expect.objectContaining({ oid: object.oid, reason: 'hash-mismatch' })]);
    expect(sim.repository('acme', 'uploads').lfsOids).not.toContain(object.oid);
  });

  it('fails a whole batch the server refuses with LfsBatchError (no token in the message)', async () => {
    const error: unknown = await client
      .download({ remoteUrl: proxy.remote('acme', 'no-such-repo'), objects: pointers, sink: memoryStore().sink })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LfsBatchError);
    expect((error as LfsBatchError).status).toBe(404);
    expect(String(error)).not.toContain(sim.tokens.alice);
  });
});

describe('LfsClient protocol details (recorded fetch)', () => {
  const content = Buffer.from('hello lfs\n');
  const object = { oid: sha256(content), size: content.length };

  function recordingFetch(answer: (url: string, init: RequestInit) => Response): { fetch: (url: string, init: RequestInit) => Promise<Response>; calls: Array<{ url: string; method: string; headers: Record<string, string>; body: string }> } {
    const calls: Array<{ url: string; method: string; headers: Record<string, string>; body: string }> = [];
    return {
      calls,
      fetch: async (url, init) => {
        const request = new Request(url, init);
        const body = request.body ? Buffer.from(await request.arrayBuffer()).toString('utf8') : '';
        calls.push({ url, method: request.method, headers: Object.fromEntries(request.headers.entries()), body });
        return answer(url, init);
      },
    };
  }
  const json = (value: unknown, status = 200): Response => new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/vnd.git-lfs+json' } });

  it('sends the batch with the LFS media type, PUTs with the action headers, then calls verify', async () => {
    const server = recordingFetch((url) =>
      url.endsWith('/objects/batch')
        ? json({
            transfer: 'basic',
            objects: [
              {
                ...object,
                actions: {
                  upload: { href: 'https://storage.example/put/1?X-Amz-Signature=abc', header: { 'x-upload-token': 'u1' } },
                  verify: { href: 'https://lfs.example/verify', header: { 'x-verify-token': 'v1' } },
                },
              },
            ],
          })
        : new Response(null, { status: 200 }),
    );
    const client = new LfsClient({ fetch: server.fetch });
    const report = await client.upload({ remoteUrl: 'https://git.example/acme/web', objects: [object], open: () => Promise.resolve(Readable.from([content])) });
    expect(report.transferred).toEqual([object]);
    const [batch, put, verify] = server.calls;
    expect(batch.url).toBe('https://git.example/acme/web.git/info/lfs/objects/batch');
    expect(batch.method).toBe('POST');
    expect(batch.headers).toMatchObject({ accept: 'application/vnd.git-lfs+json', 'content-type': 'application/vnd.git-lfs+json' });
    expect(batch.headers.authorization).toBeUndefined();
    expect(JSON.parse(batch.body)).toEqual({ operation: 'upload', transfers: ['basic'], objects: [object], hash_algo: 'sha256' });
    expect(put).toMatchObject({ method: 'PUT', body: content.toString('utf8') });
    expect(put.headers).toMatchObject({ 'x-upload-token': 'u1', 'content-type': 'application/octet-stream' });
    expect(verify).toMatchObject({ url: 'https://lfs.example/verify', method: 'POST' });
    expect(verify.headers).toMatchObject({ 'x-verify-token': 'v1', accept: 'application/vnd.git-lfs+json' });
    expect(JSON.parse(verify.body)).toEqual(object);
  });

  it('reports a failed verify, and never puts an action href (it may be signed) in a message', async () => {
    let putFails = false;
    const server = recordingFetch((url) => {
      if (url.endsWith('/objects/batch')) {
        return json({ objects: [{ ...object, actions: { upload: { href: 'https://storage.example/put?sig=SECRET' }, verify: { href: 'https://lfs.example/verify' } } }] });
      }
      if (url.includes('verify')) return new Response('nope', { status: 422 });
      if (putFails) throw new TypeError('fetch failed for https://storage.example/put?sig=SECRET');
      return new Response(null, { status: 200 });
    });
    const client = new LfsClient({ fetch: server.fetch });
    const upload = (): Promise<LfsTransferReport> => client.upload({ remoteUrl: 'https://git.example/acme/web.git', objects: [object], open: () => Promise.resolve(Readable.from([content])) });
    expect((await upload()).failed).toEqual([expect.objectContaining({ reason: 'http', status: 422, message: 'verify answered 422' })]);
    putFails = true;
    const report = await upload();
    expect(report.failed).toEqual([expect.objectContaining({ reason: 'network' })]);
    expect(report.failed[0].message).toContain('<url>');
    expect(report.failed[0].message).not.toContain('SECRET');
  });

  it('refuses remote URLs that carry credentials before any request', async () => {
    const server = recordingFetch(() => json({}));
    const client = new LfsClient({ fetch: server.fetch });
    await expect(client.download({ remoteUrl: 'https://x-access-token:ghp_abcdefghijklmnopqrstuvwxyz0123456789@git.example/a/b.git', objects: [object], sink: () => Promise.resolve() })).rejects.toThrow(
      /must not carry credentials/,
    );
    expect(server.calls).toEqual([]);
  });
});
