import { type ManifestFile, type SnapshotManifest, type SnapshotStore, createLocalSnapshotStore } from '@repovault/platform/storage';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CLOCK_SKEW_MARGIN_MS, planMetadataExport } from '../src/backup/metadata-export-plan';
import { MetadataFiles } from '../src/backup/metadata-files';
import { mergeMetadataFile } from '../src/backup/metadata-merge';

const ndjson = (records: unknown[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const parse = (text: string) => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe('incremental metadata exports', () => {
  let dir: string;
  let store: SnapshotStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rv-incremental-'));
    store = createLocalSnapshotStore(join(dir, 'store'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  describe('mergeMetadataFile', () => {
    it('replaces changed records where they stood, appends new ones in order, and keeps the rest', async () => {
      const previous = await store.putBuffer(ndjson([{ id: 1, title: 'one' }, { id: 2, title: 'two' }, { id: 3, title: 'three' }]));
      await writeFile(join(dir, 'delta.ndjson'), ndjson([{ id: 4, title: 'four' }, { id: 2, title: 'two, edited' }, { id: 5, title: 'five' }]));
      const count = await mergeMetadataFile(store, previous.sha256, join(dir, 'delta.ndjson'), join(dir, 'out.ndjson'));
      expect(count).toBe(5);
      expect(parse(await readFile(join(dir, 'out.ndjson'), 'utf8')).map((r) => r['title'])).toEqual(['one', 'two, edited', 'three', 'four', 'five']);
    });

    it('keys releases by tag and downloads by name when they have no id, and writes a record sent twice once (the newest)', async () => {
      const previous = await store.putBuffer(ndjson([{ tag_name: 'v1', body: 'old' }, { name: 'a.zip', size: 1 }]));
      await writeFile(join(dir, 'delta.ndjson'), ndjson([{ tag_name: 'v1', body: 'new' }, { name: 'b.zip', size: 2 }, { name: 'b.zip', size: 3 }]));
      await mergeMetadataFile(store, previous.sha256, join(dir, 'delta.ndjson'), join(dir, 'out.ndjson'));
      expect(parse(await readFile(join(dir, 'out.ndjson'), 'utf8'))).toEqual([{ tag_name: 'v1', body: 'new' }, { name: 'a.zip', size: 1 }, { name: 'b.zip', size: 3 }]);
    });

    it('copies the previous file unchanged when nothing changed', async () => {
      const text = ndjson([{ id: 1 }, { id: 2 }]);
      const previous = await store.putBuffer(text);
      expect(await mergeMetadataFile(store, previous.sha256, null, join(dir, 'out.ndjson'))).toBe(2);
      expect(await readFile(join(dir, 'out.ndjson'), 'utf8')).toBe(text);
    });
  });

  describe('MetadataFiles.finishIncremental', () => {
    it('stores merged files with the same content address as before when nothing changed, and carries earlier assets over', async () => {
      const issues = await store.putBuffer(ndjson([{ id: 1 }]));
      const empty = await store.putBuffer('');
      const asset = await store.putStream(Readable.from([Buffer.from('bytes')]));
      const previous: ManifestFile[] = [
        { path: 'metadata/issues.ndjson', sha256: issues.sha256, bytes: issues.bytes, kind: 'metadata' },
        { path: 'metadata/release-assets.ndjson', sha256: empty.sha256, bytes: 0, kind: 'metadata' },
        { path: 'assets/v1/1-a.bin', sha256: asset.sha256, bytes: asset.bytes, kind: 'asset' },
      ];
      const files = new MetadataFiles(dir, store);
      const merged = await files.finishIncremental(['issues', 'release-assets'], previous);
      expect(merged.counts).toEqual({ issues: 1, 'release-assets': 0 });
      expect(merged.files).toEqual(previous);
    });

    it('refuses to merge into a snapshot that lacks the kind', async () => {
      await expect(new MetadataFiles(dir, store).finishIncremental(['labels'], [])).rejects.toThrow(/no labels file/);
    });
  });

  describe('planMetadataExport', () => {
    const DAY = 86_400_000;
    const now = new Date('2026-11-22T12:00:00.000Z');
    const manifest = (metadataExport: SnapshotManifest['metadataExport'], paths = ['metadata/issues.ndjson']): SnapshotManifest => ({
      formatVersion: 1, snapshotId: 's', tenantId: 't', organizationId: 'o', repositoryId: 'r', runId: 'run', repositoryFullName: 'g/p',
      createdAt: '2026-11-22T11:00:00.000Z', refs: {}, wikiRefs: null, metadata: {}, lfsObjects: 0, sizeBytes: 0,
      files: paths.map((path) => ({ path, sha256: 'a'.repeat(64), bytes: 0, kind: 'metadata' as const })),
      ...(metadataExport ? { metadataExport } : {}),
    });
    const last = { mode: 'full' as const, asOf: '2026-11-22T11:00:00.000Z', fullAsOf: '2026-11-22T11:00:00.000Z' };

    it('exports in full without a previous export record, without exporter support, or once the last full export is old', () => {
      expect(planMetadataExport(null, ['issues'], true, DAY, now, null).mode).toBe('full');
      expect(planMetadataExport(manifest(undefined), ['issues'], true, DAY, now, null).mode).toBe('full');
      expect(planMetadataExport(manifest(last), ['issues'], false, DAY, now, null).mode).toBe('full');
      expect(planMetadataExport(manifest({ ...last, fullAsOf: '2026-11-21T11:00:00.000Z' }), ['issues'], true, DAY, now, null).mode).toBe('full');
      expect(planMetadataExport(manifest(last), ['issues', 'labels'], true, DAY, now, null).mode).toBe('full');
    });

    it('asks for what changed since the previous export started, less a clock-skew margin, keeping the last full export time', () => {
      const plan = planMetadataExport(manifest(last), ['issues'], true, DAY, now, null);
      expect(plan).toMatchObject({
        mode: 'incremental',
        updatedSince: new Date(Date.parse(last.asOf) - CLOCK_SKEW_MARGIN_MS).toISOString(),
        info: { mode: 'incremental', asOf: now.toISOString(), fullAsOf: last.fullAsOf },
        listingCoversSince: false,
      });
    });

    it('trusts the listing only when it was taken after the previous export started, and then counts as of the listing', () => {
      const listed = '2026-11-22T11:59:00.000Z';
      expect(planMetadataExport(manifest(last), ['issues'], true, DAY, now, listed)).toMatchObject({ listingCoversSince: true, info: { asOf: listed } });
      expect(planMetadataExport(manifest(last), ['issues'], true, DAY, now, '2026-11-22T10:00:00.000Z')).toMatchObject({ listingCoversSince: false, info: { asOf: now.toISOString() } });
    });
  });
});
