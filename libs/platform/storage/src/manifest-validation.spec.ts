import { randomUUID } from 'node:crypto';
import { isRestorablePath, parseSnapshotManifest, validateSnapshotManifest } from './manifest-validation';
import type { SnapshotManifest } from './snapshot-manifest';
import { InvalidManifestError } from './storage-errors';
import { buildManifest } from '../test/support/temp-store';

const file = (path: string, bytes = 10, sha = 'a') => ({ path, sha256: sha.repeat(64), bytes, kind: 'metadata' as const });

function problemsOf(value: unknown): readonly string[] {
  try {
    validateSnapshotManifest(value);
  } catch (error) {
    if (error instanceof InvalidManifestError) return error.problems;
    throw error;
  }
  return [];
}

describe('snapshot manifest validation', () => {
  const valid: SnapshotManifest = buildManifest([file('repository.bundle', 100), file('metadata/issues.ndjson', 5, 'b')], {
    wikiRefs: { 'refs/heads/master': 'c'.repeat(64) },
    metadata: { issues: 3, labels: 0, 'release-assets': 2 },
  });

  it('accepts a valid manifest and round-trips it through JSON', () => {
    expect(validateSnapshotManifest(valid)).toBe(valid);
    expect(parseSnapshotManifest(JSON.stringify(valid))).toEqual(valid);
  });

  it.each<[string, (m: SnapshotManifest) => unknown, RegExp]>([
    ['another format version', (m) => ({ ...m, formatVersion: 2 }), /formatVersion must be 1/],
    ['a non-UUID id', (m) => ({ ...m, tenantId: 'acme' }), /tenantId must be a lower-case UUID/],
    ['a missing id', (m) => ({ ...m, runId: undefined }), /runId must be a lower-case UUID/],
    ['an unknown field', (m) => ({ ...m, token: 'ghp_x' }), /unknown field "token"/],
    ['a non-RFC 3339 date', (m) => ({ ...m, createdAt: 'yesterday' }), /createdAt must be an RFC 3339/],
    ['an impossible date', (m) => ({ ...m, createdAt: '2025-13-45T99:00:00Z' }), /createdAt/],
    ['a ref pointing at a non-object id', (m) => ({ ...m, refs: { 'refs/heads/main': 'main' } }), /refs\["refs\/heads\/main"\] must be a git object id/],
    ['wiki refs that are not an object', (m) => ({ ...m, wikiRefs: [] }), /wikiRefs must be an object/],
    ['an unknown metadata kind', (m) => ({ ...m, metadata: { wombats: 1 } }), /unknown kind "wombats"/],
    ['a negative record count', (m) => ({ ...m, metadata: { issues: -1 } }), /metadata\.issues must be a non-negative integer/],
    ['a fractional LFS count', (m) => ({ ...m, lfsObjects: 1.5 }), /lfsObjects/],
    ['a file with a bad checksum', (m) => ({ ...m, files: [{ ...m.files[0], sha256: 'abc' }, m.files[1]] }), /files\[0\]\.sha256/],
    ['a file of an unknown kind', (m) => ({ ...m, files: [{ ...m.files[0], kind: 'exe' }, m.files[1]] }), /files\[0\]\.kind/],
    ['a file path escaping the restore directory', (m) => ({ ...m, files: [{ ...m.files[0], path: '../../.bashrc' }, m.files[1]] }), /files\[0\]\.path/],
    ['the same path twice', (m) => ({ ...m, files: [m.files[0], { ...m.files[1], path: m.files[0]?.path }], sizeBytes: 200 }), /appears twice/],
    ['a size that is not the sum of the files', (m) => ({ ...m, sizeBytes: 1 }), /sizeBytes is 1 but the files add up to 105/],
  ])('rejects %s', (_name, mutate, problem) => {
    const problems = problemsOf(mutate(valid));
    expect(problems.some((p) => problem.test(p))).toBe(true);
  });

  it('reports every problem at once, naming where the manifest came from', () => {
    const broken = { ...valid, formatVersion: 0, repositoryId: 'x', sizeBytes: -1 };
    expect(() => validateSnapshotManifest(broken, 'repo/snap')).toThrow(/manifest repo\/snap: formatVersion.*; repositoryId.*; sizeBytes/);
  });

  it.each(['null', '[]', '"manifest"', '{'])('rejects %s as a manifest', (json) => {
    expect(() => parseSnapshotManifest(json)).toThrow(InvalidManifestError);
  });

  it('accepts only relative paths that stay inside the restore directory', () => {
    for (const path of ['repository.bundle', 'metadata/issues.ndjson', 'lfs/ab/cd/abcdef', 'release-assets/v1.0/app..tar.gz']) {
      expect(isRestorablePath(path)).toBe(true);
    }
    for (const path of ['', '/etc/passwd', '../x', 'a/../../x', 'a/./b', 'a//b', 'a/', 'a\\..\\b', 'a\u0000b', 'a\nb']) {
      expect(isRestorablePath(path)).toBe(false);
    }
  });

  it('accepts SHA-1 and SHA-256 object ids and upper-case UUIDs nowhere', () => {
    expect(problemsOf({ ...valid, refs: { a: '1'.repeat(40), b: '2'.repeat(64) } })).toEqual([]);
    expect(problemsOf({ ...valid, snapshotId: randomUUID().toUpperCase() })).toEqual(['snapshotId must be a lower-case UUID']);
  });
});
