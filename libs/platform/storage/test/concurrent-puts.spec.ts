import { fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredFile } from '../src';
import { deterministicBuffer } from './support/deterministic-content';
import { buildManifest, createTempStore, manifestFile, objectPath, type TempStore } from './support/temp-store';

const CHILD = join(__dirname, 'support', 'concurrent-put.child.ts');
const WORKSPACE = join(__dirname, '..', '..', '..', '..');
const SIZE = 4 * 1024 * 1024;
const PUTTERS = 4;

type ChildMessage = { ready: true } | { ok: true; stored: StoredFile } | { ok: false; error: string };
interface Racer {
  child: ChildProcess;
  ready: Promise<void>;
  done: Promise<{ message?: ChildMessage; exitSignal: NodeJS.Signals | null }>;
}

/** Separate processes, as separate pods sharing a volume would be: no shared memory, no shared locks. */
function startRacer(root: string, seed: string, mode: 'put' | 'crash'): Racer {
  const child = fork(CHILD, [root, seed, String(SIZE), mode], { cwd: WORKSPACE, execArgv: ['-r', '@swc-node/register'], stdio: 'inherit' });
  let result: ChildMessage | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: ChildMessage) => ('ready' in message ? resolve() : (result = message)));
    child.once('exit', () => reject(new Error('child exited before it was ready')));
  });
  const done = new Promise<{ message?: ChildMessage; exitSignal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (_code, exitSignal) => resolve({ message: result, exitSignal })),
  );
  return { child, ready, done };
}

async function listTree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

describe('concurrent puts from several processes', () => {
  let temp: TempStore;

  beforeEach(async () => {
    temp = await createTempStore();
  });
  afterEach(() => temp.remove());

  it('end with one intact object and no error, and a writer killed mid-write leaves nothing visible', async () => {
    const expected = createHash('sha256').update(deterministicBuffer('same-content', SIZE)).digest('hex');
    const racers = [
      ...Array.from({ length: PUTTERS }, () => startRacer(temp.root, 'same-content', 'put')),
      startRacer(temp.root, 'same-content', 'crash'),
      startRacer(temp.root, 'other-content', 'crash'),
    ];
    await Promise.all(racers.map((racer) => racer.ready));
    for (const racer of racers) racer.child.send('go');
    const results = await Promise.all(racers.map((racer) => racer.done));

    const puts = results.slice(0, PUTTERS);
    for (const { message } of puts) expect(message).toEqual({ ok: true, stored: { sha256: expected, bytes: SIZE } });
    for (const { exitSignal } of results.slice(PUTTERS)) expect(exitSignal).toBe('SIGKILL');

    const objects = await listTree(join(temp.root, 'objects'));
    expect(objects).toEqual([objectPath(temp.root, expected)]);
    expect((await temp.store.readVerified(expected)).byteLength).toBe(SIZE);
    // only the killed writers' temp files remain, for garbage collection to remove later
    const leftovers = await readdir(join(temp.root, 'tmp'));
    expect(leftovers).toHaveLength(2);
    await temp.store.publishManifest(buildManifest([manifestFile({ sha256: expected, bytes: SIZE }, 'repository.bundle', 'bundle')]));
    expect(await temp.store.collectGarbage({ graceMs: 0 })).toMatchObject({ deletedObjects: 0, deletedTempFiles: 2 });
    expect(await readdir(join(temp.root, 'tmp'))).toEqual([]);
  });
});
