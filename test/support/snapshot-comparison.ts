/**
 * Restore drills: does the snapshot of a restored repository agree with the snapshot it was restored
 * from? Reusable for every provider's drill: call `compareRestoredSnapshots` with the two snapshots,
 * the restore's report and a `RestoreComparisonProfile` for the provider (GITHUB_RESTORE_PROFILE is
 * GitHub's; a GitLab or Bitbucket drill adds its own profile next to it and uses the same function).
 *
 * What "agree" means (issue #9): refs equal (the provider's own pull request refs compared through
 * the restore's number mapping), LFS objects equal, wiki refs equal, and for every metadata kind the
 * restore wrote, counts and contents equal — texts compared without the attribution and marker the
 * restore adds, and with the source's cross-references remapped to the new numbers. Kinds the report
 * names as not restored are left out of the comparison (and listed in `leftOut`).
 */
import { type MetadataKind, readRestoreMarker, remapCrossReferences, stripRestoreAttribution } from '@repovault/testing/support';
import type { SnapshotView } from './backup-helpers';

export type Json = Record<string, unknown>;

/** The parts of the public restore view (GET /v1/restores/{id}) a comparison reads. */
export interface RestoreReport {
  items: Record<string, { source: number; restored: number; notRestored: number; failed: number }>;
  notRestored: Array<{ kind: string; reason: string; count: number; examples: string[] }>;
  target: { fullName: string | null };
}

/** What a comparison needs to know of a provider's snapshots. */
export interface RestoreComparisonProfile {
  /** refs the provider keeps itself; the capture group is the number of the item they belong to */
  managedRef: RegExp;
  /** the managed ref of an item number */
  managedRefOf(number: number): string;
  /** kinds whose items carry numbers that texts reference, with where number, id and text are (`text` may be a dotted path, e.g. `content.raw`) */
  numbered: Array<{ kind: MetadataKind; sigil: '#' | '!'; number: string; id: string; text: string }>;
  /** which numbers the managed refs carry (GitLab's are merge requests: `!`); default `#` */
  managedRefSigil?: '#' | '!';
  /** per metadata kind the restore writes: what must be equal (texts through `ctx.text`, numbers through `ctx.number`) */
  project: Partial<Record<MetadataKind, (record: Json, ctx: ProjectionContext) => unknown>>;
}

export interface ProjectionContext {
  side: 'original' | 'restored';
  /** a text as the restored side must show it: original texts remapped, restored ones without attribution */
  text(value: unknown): string;
  /** an item number on the restored side's scale (the original's are mapped) */
  number(value: unknown, sigil?: '#' | '!'): number | null;
}

export interface SnapshotComparison {
  /** human-readable differences; empty when the snapshots agree */
  differences: string[];
  /** kinds compared item by item */
  compared: MetadataKind[];
  /** kinds the report names as not restored (left out of the comparison) */
  leftOut: MetadataKind[];
  /** original number → restored number, per sigil, as found through the restore's markers */
  numbers: Map<string, Map<number, number>>;
}

export interface ComparisonInput {
  original: SnapshotView;
  restored: SnapshotView;
  report: RestoreReport;
  profile: RestoreComparisonProfile;
  /** the records of one kind of a snapshot (e.g. GET /v1/snapshots/{id}/metadata/{kind}) */
  records(snapshot: SnapshotView, kind: MetadataKind): Promise<Json[]>;
}

const KINDS: readonly MetadataKind[] = ['labels', 'milestones', 'issues', 'pull-requests', 'issue-comments', 'review-comments', 'reviews', 'releases', 'release-assets'];

export async function compareRestoredSnapshots(input: ComparisonInput): Promise<SnapshotComparison> {
  const { original, restored, report, profile } = input;
  const differences: string[] = [];
  const cache = new Map<string, Json[]>();
  const records = async (side: SnapshotView, kind: MetadataKind): Promise<Json[]> => {
    const key = `${side.id}/${kind}`;
    if (!cache.has(key)) cache.set(key, await input.records(side, kind));
    return cache.get(key) ?? [];
  };

  // numbers: every restored numbered item carries a marker naming its source item's id
  const numbers = new Map<string, Map<number, number>>();
  for (const numbered of profile.numbered) {
    const map = numbers.get(numbered.sigil) ?? new Map<number, number>();
    numbers.set(numbered.sigil, map);
    const sources = new Map((await records(original, numbered.kind)).map((r) => [String(r[numbered.id]), Number(r[numbered.number])]));
    for (const item of await records(restored, numbered.kind)) {
      const text = numbered.text.split('.').reduce<unknown>((value, field) => (typeof value === 'object' && value !== null ? (value as Json)[field] : undefined), item);
      const marker = readRestoreMarker(typeof text === 'string' ? text : '');
      const from = marker ? sources.get(marker.sourceId) : undefined;
      if (from === undefined) differences.push(`${numbered.kind}: restored #${String(item[numbered.number])} names no item of the original`);
      else map.set(from, Number(item[numbered.number]));
    }
  }
  const sourceName = original.repositoryFullName;
  const targetName = report.target.fullName ?? restored.repositoryFullName;
  const rules = [...numbers].map(([sigil, map]) => ({ sigil: sigil as '#' | '!', map: (n: number) => map.get(n) ?? null }));
  const context = (side: 'original' | 'restored'): ProjectionContext => ({
    side,
    text: (value) => {
      const text = typeof value === 'string' ? value.replace(/\r\n/g, '\n') : '';
      return side === 'original' ? remapCrossReferences(text, { rules, sourceFullName: sourceName, targetFullName: targetName }) : stripRestoreAttribution(text);
    },
    number: (value, sigil = '#') => {
      const n = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(n)) return null;
      return side === 'original' ? (numbers.get(sigil)?.get(n) ?? null) : n;
    },
  });

  compareRefs(original, restored, profile, numbers.get(profile.managedRefSigil ?? '#') ?? new Map(), differences);
  const lfs = (s: SnapshotView) => s.files.filter((f) => f.kind === 'lfs').map((f) => f.sha256).sort();
  if (JSON.stringify(lfs(original)) !== JSON.stringify(lfs(restored))) differences.push(`LFS objects differ: ${lfs(original).length} in the original, ${lfs(restored).length} restored`);
  if (original.wikiRefs && Object.keys(original.wikiRefs).length > 0 && JSON.stringify(sorted(original.wikiRefs)) !== JSON.stringify(sorted(restored.wikiRefs ?? {}))) {
    differences.push('wiki refs differ');
  }

  const compared: MetadataKind[] = [];
  const leftOut: MetadataKind[] = [];
  for (const kind of KINDS) {
    const originals = original.files.some((f) => f.path === `metadata/${kind}.ndjson`) ? await records(original, kind) : [];
    if (originals.length === 0) continue;
    const named = report.notRestored.filter((n) => n.kind === kind).reduce((sum, n) => sum + n.count, 0);
    const project = profile.project[kind];
    if (named >= originals.length || !project) {
      if (named < originals.length) differences.push(`${kind}: the profile cannot compare it, and the report does not name it as not restored`);
      leftOut.push(kind);
      continue;
    }
    compared.push(kind);
    const restoredRecords = await records(restored, kind);
    const expected = originals.map((r) => JSON.stringify(project(r, context('original')))).sort();
    const actual = restoredRecords.map((r) => JSON.stringify(project(r, context('restored')))).sort();
    if (restoredRecords.length !== originals.length - named) {
      differences.push(`${kind}: ${restoredRecords.length} restored, expected ${originals.length - named} (${originals.length} minus ${named} named as not restored)`);
    }
    const missing = multisetMinus(actual, expected);
    if (missing.length > 0) differences.push(`${kind}: restored items that differ from every original one:\n  ${missing.slice(0, 5).join('\n  ')}`);
    if (named === 0) {
      const lost = multisetMinus(expected, actual);
      if (lost.length > 0) differences.push(`${kind}: original items not found in the restored snapshot:\n  ${lost.slice(0, 5).join('\n  ')}`);
    }
  }
  return { differences, compared, leftOut, numbers };
}

function compareRefs(original: SnapshotView, restored: SnapshotView, profile: RestoreComparisonProfile, numbers: Map<number, number>, differences: string[]): void {
  const own = (refs: Record<string, string>) => Object.fromEntries(Object.entries(refs).filter(([ref]) => !profile.managedRef.test(ref)).sort(([a], [b]) => a.localeCompare(b)));
  const a = own(original.refs);
  const b = own(restored.refs);
  for (const ref of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[ref] !== b[ref]) differences.push(`ref ${ref}: original ${a[ref] ?? 'absent'}, restored ${b[ref] ?? 'absent'}`);
  }
  for (const [ref, sha] of Object.entries(original.refs)) {
    const match = profile.managedRef.exec(ref);
    const mapped = match ? numbers.get(Number(match[1])) : undefined;
    if (mapped === undefined) continue;
    const target = profile.managedRefOf(mapped);
    if (restored.refs[target] !== sha) differences.push(`${ref} (restored as ${target}): original ${sha}, restored ${restored.refs[target] ?? 'absent'}`);
  }
}

function sorted(refs: Record<string, string>): Array<[string, string]> {
  return Object.entries(refs).sort(([a], [b]) => a.localeCompare(b));
}

function multisetMinus(left: string[], right: string[]): string[] {
  const counts = new Map<string, number>();
  for (const r of right) counts.set(r, (counts.get(r) ?? 0) + 1);
  const out: string[] = [];
  for (const l of left) {
    const n = counts.get(l) ?? 0;
    if (n > 0) counts.set(l, n - 1);
    else out.push(l);
  }
  return out;
}

const obj = (record: Json, field: string): Json => (typeof record[field] === 'object' && record[field] !== null ? (record[field] as Json) : {});
const names = (value: unknown): string[] => (Array.isArray(value) ? (value as Json[]).map((l) => String(l['name'])).sort() : []);

/**
 * GitHub: pull request heads are `refs/pull/N/head`; issues and pull requests share the `#`
 * numbering. A merged pull request is restored closed (the report names its state as not restored),
 * and its head branch may be a staging branch, so its head is compared by commit, not by name.
 */
export const GITHUB_RESTORE_PROFILE: RestoreComparisonProfile = {
  managedRef: /^refs\/pull\/(\d+)\/(?:head|merge)$/,
  managedRefOf: (n) => `refs/pull/${n}/head`,
  numbered: [
    { kind: 'issues', sigil: '#', number: 'number', id: 'id', text: 'body' },
    { kind: 'pull-requests', sigil: '#', number: 'number', id: 'id', text: 'body' },
  ],
  project: {
    labels: (l) => [l['name'], l['color'], l['description'] ?? ''],
    milestones: (m, c) => [m['title'], m['state'], c.text(m['description']), m['due_on']],
    issues: (i, c) => [i['title'], c.text(i['body']), i['state'], i['state_reason'] ?? null, names(i['labels']), obj(i, 'milestone')['title'] ?? null, c.number(i['number'])],
    'pull-requests': (p, c) => [
      p['title'], c.text(p['body']), p['state'], p['draft'] === true, obj(p, 'base')['ref'], obj(p, 'head')['sha'], names(p['labels']),
      obj(p, 'milestone')['title'] ?? null, c.number(p['number']),
    ],
    'issue-comments': (m, c) => [c.number(/\/issues\/(\d+)$/.exec(String(m['issue_url']))?.[1]), c.text(m['body'])],
    releases: (r, c) => [r['tag_name'], r['name'], c.text(r['body']), r['draft'] === true, r['prerelease'] === true],
    'release-assets': (a) => [a['name'], a['content_type'], a['size'], a['repovault_sha256'] ?? null],
  },
};
