import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InvalidManifestError, InvalidStorageIdError } from '../src';
import { buildManifest, createTempStore, type TempStore } from './support/temp-store';

const hostileIds = [
  '../../../etc/passwd',
  '..',
  '.',
  '',
  '/etc/passwd',
  'a/../../b',
  '..\\..\\windows',
  `${randomUUID()}/../..`,
  `${randomUUID()}\u0000`,
  randomUUID().toUpperCase(), // would alias the lower-case id on a case-insensitive volume
  'not-a-uuid',
];
const hostileShas = ['../' + 'a'.repeat(61), 'a'.repeat(63), 'A'.repeat(64), `${'a'.repeat(62)}/x`, '..', ''];

describe('ids that end up in paths', () => {
  let temp: TempStore;
  const repositoryId = randomUUID();
  const snapshotId = randomUUID();

  beforeEach(async () => {
    temp = await createTempStore();
  });
  afterEach(() => temp.remove());

  it.each(hostileIds)('refuses repository and snapshot id %j', async (id) => {
    await expect(temp.store.readManifest(id, snapshotId)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.readManifest(repositoryId, id)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.listManifests(id)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.deleteManifest(id, snapshotId)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.deleteManifest(repositoryId, id)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.publishManifest(buildManifest([], { repositoryId: id }))).rejects.toBeInstanceOf(InvalidManifestError);
    await expect(temp.store.publishManifest(buildManifest([], { snapshotId: id }))).rejects.toBeInstanceOf(InvalidManifestError);
  });

  it.each(hostileShas)('refuses object name %j', async (sha256) => {
    await expect(temp.store.has(sha256)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.readVerified(sha256)).rejects.toBeInstanceOf(InvalidStorageIdError);
    await expect(temp.store.openVerified(sha256)).rejects.toBeInstanceOf(InvalidStorageIdError);
  });

  it('never touches anything outside the root', async () => {
    await temp.store.putBuffer('inside');
    const outside = await readdir(dirname(temp.root));
    for (const id of hostileIds) await temp.store.deleteManifest(id, snapshotId).catch(() => undefined);
    expect(await readdir(dirname(temp.root))).toEqual(outside);
    expect((await readdir(join(temp.root, 'objects', 'sha256'))).length).toBe(1);
  });

  it('puts an escaped, bounded hostile value in the error message', async () => {
    await expect(temp.store.readManifest(`../${'x'.repeat(500)}\n`, snapshotId)).rejects.toThrow(/^repositoryId must be a lower-case UUID, got "\.\.\/x{77}…"$/);
  });
});
