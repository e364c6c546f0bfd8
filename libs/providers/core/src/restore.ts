/**
 * Provider-neutral restore contract (issue #9).
 *
 * A restore takes one immutable snapshot and writes it into a target repository of the same provider.
 * The work is split in two:
 *
 * - the WORKER (apps/backup-worker/src/restore) does everything that is the same for every provider:
 *   it loads the snapshot, asks the provider's {@link RepositoryRestorer} for the target repository
 *   (found or created), pushes the git refs and the wiki through the egress proxy, uploads LFS objects
 *   through the LFS batch API, persists the {@link RestoreLedger}, and records progress and the report;
 * - a PROVIDER ADAPTER implements {@link RepositoryRestorer}: creating the repository, saying what its
 *   API can and cannot write ({@link RestoreCapabilities}), and writing the metadata (labels,
 *   milestones, issues, comments, pull requests, releases and their assets) from the snapshot's own
 *   NDJSON records (which are in that provider's native JSON, exactly as its exporter wrote them).
 *
 * Every provider request of a restorer goes through the `AdapterTarget.fetch` it was built with (the
 * worker's egress route with purpose `restore`): claims, credential, SSRF checks and rate-limit
 * accounting are not the restorer's business, and it never sees a secret.
 *
 * Idempotency and resume (a restore killed with SIGKILL and started again must not duplicate):
 * every item a restorer creates goes through {@link restoreOnce}, which writes a `pending` ledger
 * entry BEFORE the provider call and a `done` entry (with the created id) AFTER it. Started again,
 * `done` items are skipped; for a `pending` item (killed between the call and the second write) the
 * restorer's `find` looks the item up in the target — by the hidden {@link restoreMarker} every
 * created text carries, or by a natural key (label name, milestone title, release tag) — before it
 * creates anything. The worker persists the ledger per restore; restorers only use the interface.
 *
 * Original authors and dates: when the provider's API cannot set them (every provider, for a token
 * that is not the original author), the text of each created issue, comment, pull request and
 * release starts with an attribution line ({@link withRestoreAttribution}) and ends with the marker.
 * {@link stripRestoreAttribution} removes both again (restore drills compare with it).
 *
 * Cross-references: `#N` (and provider-specific sigils such as GitLab's `!N`) are rewritten to the
 * target's numbers with {@link remapCrossReferences}; a reference to something that was not restored
 * is qualified with the source repository (`owner/repo#N`) instead of pointing at the wrong item.
 *
 * What cannot be restored is never silently dropped: a restorer calls
 * {@link RestoreProgress.notRestored} with the kind, the reason and (optionally) the source id, and
 * declares whole kinds it cannot write in {@link RestoreCapabilities.unwritable}; the worker puts both
 * into the restore's report.
 */
import type { AdapterTarget } from './provider-adapter';
import type { ProviderKind } from './provider-kind';
import type { MetadataKind } from './metadata-export';
import type { Readable } from 'node:stream';

// ---------------------------------------------------------------------------------------------------
// What a restore is asked to do
// ---------------------------------------------------------------------------------------------------

/** `new-repository`: the target must not exist yet (or was created by this very restore); `overwrite`: the snapshot's own repository. */
export const RESTORE_MODES = ['new-repository', 'overwrite'] as const;
export type RestoreMode = (typeof RESTORE_MODES)[number];

/** The public API's `include` switches of `POST /v1/restores`. */
export const RESTORE_INCLUDE_KEYS = ['git', 'lfs', 'wiki', 'issues', 'comments', 'pullRequests', 'labels', 'milestones', 'releases'] as const;
export type RestoreIncludeKey = (typeof RESTORE_INCLUDE_KEYS)[number];
export type RestoreInclude = Record<RestoreIncludeKey, boolean>;

/**
 * What a restore counts and reports on: the snapshot's metadata kinds, plus the git side.
 * `git-refs` and `wiki-refs` count refs pushed, `lfs-objects` counts objects uploaded (or already there).
 */
export const RESTORE_ITEM_KINDS = ['git-refs', 'lfs-objects', 'wiki-refs', 'labels', 'milestones', 'issues', 'issue-comments', 'pull-requests', 'review-comments', 'reviews', 'releases', 'release-assets'] as const;
export type RestoreItemKind = (typeof RESTORE_ITEM_KINDS)[number];

/** Metadata kinds each include switch covers (comments of pull requests need both `comments` and `pullRequests`). */
export function restoreKindsOf(include: RestoreInclude): MetadataKind[] {
  const kinds: MetadataKind[] = [];
  if (include.labels) kinds.push('labels');
  if (include.milestones) kinds.push('milestones');
  if (include.issues) kinds.push('issues');
  if (include.pullRequests) kinds.push('pull-requests', 'reviews');
  if (include.comments && (include.issues || include.pullRequests)) kinds.push('issue-comments');
  if (include.comments && include.pullRequests) kinds.push('review-comments');
  if (include.releases) kinds.push('releases', 'release-assets');
  return kinds;
}

// ---------------------------------------------------------------------------------------------------
// The target repository
// ---------------------------------------------------------------------------------------------------

/** A repository a restore writes into, as the provider reports it. */
export interface RestoreTargetRepository {
  /** provider's id of the repository (GitHub/GitLab numeric id, Bitbucket uuid, DC id) */
  providerId: string;
  /** org login / group path / workspace slug / DC project key */
  owner: string;
  /** repository name or slug */
  name: string;
  /** `owner/name` as the provider spells it (GitLab: the full project path) */
  fullName: string;
  /** https clone URL without credentials: the worker pushes there through the egress proxy */
  cloneUrl: string;
  /** where its wiki is pushed (null: the provider or this repository has none) */
  wikiUrl: string | null;
  /** the repository's web page (for links in the report) */
  webUrl: string;
  defaultBranch: string | null;
  /** true when the repository holds no refs yet (a fresh repository) */
  empty: boolean;
}

/** How to create the target of a `new-repository` restore; the worker fills it from the source repository. */
export interface RepositoryCreateRequest {
  /** the target organization's name as onboarded (org login, group path, workspace, DC project key) */
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  /** create it with a wiki (when the snapshot has one and the wiki is restored) */
  wiki: boolean;
  /** create it with an issue tracker (when issues are restored) */
  issues: boolean;
}

/** The repository already exists where a `new-repository` restore wanted to create it. */
export class RestoreTargetExistsError extends Error {
  constructor(readonly fullName: string) {
    super(`the target repository ${fullName} already exists: restore into a new name, or use mode "overwrite" to restore into the original`);
    this.name = 'RestoreTargetExistsError';
  }
}

/** The credential may not write what the restore needs (e.g. create repositories in the organization). */
export class RestoreForbiddenError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'RestoreForbiddenError';
  }
}

// ---------------------------------------------------------------------------------------------------
// What a provider can write
// ---------------------------------------------------------------------------------------------------

export interface RestoreCapabilities {
  /** metadata kinds this provider's API lets a restore write (possibly partly: see notRestored) */
  writable: readonly MetadataKind[];
  /** kinds the API cannot write at all, with the reason shown in the report */
  unwritable: Partial<Record<MetadataKind, string>>;
  /** whether the provider has wikis a restore can push */
  wiki: boolean;
  /** whether the provider serves the Git LFS batch API for uploads */
  lfs: boolean;
  /**
   * Ref prefixes the provider manages itself and refuses in a push (GitHub `refs/pull/`, GitLab
   * `refs/merge-requests/`, Bitbucket DC `refs/pull-requests/`). The worker never pushes them and
   * never deletes them in an overwrite; they are reported as not restored unless staged below.
   */
  readOnlyRefPrefixes: readonly string[];
  /**
   * A branch name to stage a read-only ref under, so that its commits reach the target (e.g. the
   * head of a closed pull request whose branch was deleted: GitHub can only create a pull request
   * from a branch). Null: not staged. The worker pushes staged refs with the other refs, hands them
   * to `restoreMetadata` in {@link MetadataRestoreContext.stagedRefs}, and deletes them when
   * the metadata restore has finished. Omit when the provider needs no staging.
   */
  stagingRefFor?(readOnlyRef: string): string | null;
}

// ---------------------------------------------------------------------------------------------------
// Where metadata comes from
// ---------------------------------------------------------------------------------------------------

/** The snapshot's metadata as the provider's exporter wrote it (one NDJSON file per kind). */
export interface SnapshotMetadataSource {
  /** whether the snapshot holds this kind (a kind the backup did not include is absent, not empty) */
  has(kind: MetadataKind): boolean;
  /** records of the kind in the snapshot (0 when absent) */
  count(kind: MetadataKind): number;
  /** the records, in file order, read lazily (never all in memory); the provider's native JSON */
  records<T = Record<string, unknown>>(kind: MetadataKind): AsyncIterable<T>;
  /**
   * Bytes of a release asset the snapshot stored (by the sha256 the exporter recorded on the asset
   * record, e.g. `repovault_sha256`), verified while read. Null when the snapshot has only its metadata.
   */
  openAsset(sha256: string): Promise<Readable | null>;
}

// ---------------------------------------------------------------------------------------------------
// Ledger: idempotency and resume
// ---------------------------------------------------------------------------------------------------

/**
 * What a ledger entry is about. The metadata kinds for items, `repository` for the target itself,
 * and provider-specific keys (e.g. `issue-state`, `text-fixup`) for follow-up writes that must also
 * happen once. Keys are opaque to the worker.
 */
export type RestoreLedgerKind = MetadataKind | 'repository' | (string & { readonly __ledgerKind?: never });

export interface RestoreLedgerEntry {
  kind: RestoreLedgerKind;
  /** the source item's stable id in the snapshot (provider id; for items without one, a natural key) */
  sourceId: string;
  /** `pending`: the write may or may not have happened (written before the provider call) */
  state: 'pending' | 'done';
  /** the created item's provider id (null while pending) */
  targetId: string | null;
  /** the created item's number (issues, pull requests, milestones), when it has one */
  targetNumber: number | null;
}

/** What a write created, as the ledger keeps it. */
export interface RestoredRef {
  targetId: string;
  targetNumber?: number | null;
}

/**
 * The restore's memory of what it already wrote. Persisted by the worker per restore (so a killed
 * restore started again resumes); every method is durable when its promise settles.
 */
export interface RestoreLedger {
  get(kind: RestoreLedgerKind, sourceId: string): Promise<RestoreLedgerEntry | null>;
  /** every entry of a kind, keyed by sourceId (restorers load them once per kind to remap numbers) */
  entries(kind: RestoreLedgerKind): Promise<ReadonlyMap<string, RestoreLedgerEntry>>;
  /** write-ahead: the item is about to be created */
  begin(kind: RestoreLedgerKind, sourceId: string): Promise<void>;
  /** the item exists in the target */
  complete(kind: RestoreLedgerKind, sourceId: string, created: RestoredRef): Promise<void>;
}

/** Outcome of {@link restoreOnce}. `created` is false when the ledger or `find` already knew the item. */
export interface RestoreOnceResult {
  ref: RestoredRef;
  created: boolean;
}

/**
 * Writes one item at most once across attempts: done → skipped; pending → `find` first (a killed
 * attempt may have created it); otherwise begin, create, complete. `find` must be able to see what
 * `create` made (by marker or natural key), or resume could duplicate it.
 */
export async function restoreOnce(
  ledger: RestoreLedger,
  kind: RestoreLedgerKind,
  sourceId: string,
  steps: { find: () => Promise<RestoredRef | null>; create: () => Promise<RestoredRef> },
): Promise<RestoreOnceResult> {
  const entry = await ledger.get(kind, sourceId);
  if (entry?.state === 'done' && entry.targetId !== null) {
    return { ref: { targetId: entry.targetId, targetNumber: entry.targetNumber }, created: false };
  }
  if (entry?.state === 'pending') {
    const found = await steps.find();
    if (found) {
      await ledger.complete(kind, sourceId, found);
      return { ref: found, created: false };
    }
  } else {
    await ledger.begin(kind, sourceId);
  }
  const created = await steps.create();
  await ledger.complete(kind, sourceId, created);
  return { ref: created, created: true };
}

// ---------------------------------------------------------------------------------------------------
// Progress and the report
// ---------------------------------------------------------------------------------------------------

/** Per-kind numbers of the restore's report. */
export interface RestoreItemCounts {
  /** items of this kind in the snapshot */
  source: number;
  /** written by this restore (over all its attempts) */
  restored: number;
  /** not restored: see the report's notRestored entries */
  notRestored: number;
  /** the provider refused them unexpectedly (see the report's errors); the restore ends partially-failed */
  failed: number;
}

/** Something the restore did not write, and why. `count` aggregates items with the same kind and reason. */
export interface NotRestoredItem {
  kind: RestoreItemKind | 'pull-request-state' | 'assignees' | 'reactions' | (string & { readonly __notRestored?: never });
  reason: string;
  count: number;
  /** up to a few source ids (numbers, names), so a person can find them */
  examples: string[];
}

/** Where a restorer reports what it did (the worker keeps the counts and the report). */
export interface RestoreProgress {
  /** `count` items of `kind` are in the target now (also for items an earlier attempt wrote) */
  restored(kind: RestoreItemKind, count?: number): void;
  /**
   * One item (or a whole group, with count) is not restored by design — the provider's API cannot
   * write it (merge state, reviews as their authors…) — with a reason a person understands.
   */
  notRestored(kind: NotRestoredItem['kind'], reason: string, sourceId?: string, count?: number): void;
  /**
   * The provider refused one item it normally accepts (a 422 for this issue, say): the restore goes
   * on with the next item and ends partially-failed. Throw instead when nothing more can succeed
   * (credential rejected, repository gone) or when a retry may help (rate limit, 5xx).
   */
  failed(kind: RestoreItemKind, sourceId: string, message: string): void;
  /** persists counts so far (the worker also flushes on its own); cheap to call often */
  checkpoint(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------
// The provider's part
// ---------------------------------------------------------------------------------------------------

/** Everything `restoreMetadata` works with. */
export interface MetadataRestoreContext {
  /** the restore's id (goes into markers) */
  restoreId: string;
  mode: RestoreMode;
  /**
   * Metadata kinds to restore: the request's include, limited to what the snapshot holds and to
   * `capabilities.writable` (the worker itself reports the kinds in `capabilities.unwritable`).
   */
  kinds: readonly MetadataKind[];
  /** the repository the snapshot was taken of, e.g. `acme/widgets` (for qualified references and attributions) */
  source: { fullName: string; webUrl: string | null };
  target: RestoreTargetRepository;
  /**
   * This restore created the target: what the provider put into it on creation (GitHub's default
   * labels) may be removed when the snapshot lacks it. False for `overwrite`: nothing upstream is
   * removed by a metadata restore.
   */
  targetCreated: boolean;
  metadata: SnapshotMetadataSource;
  ledger: RestoreLedger;
  progress: RestoreProgress;
  /** refs in the target after the git push (ref → sha); `{}` when git was not restored */
  targetRefs: Readonly<Record<string, string>>;
  /** read-only source ref → the staging branch it was pushed as (see RestoreCapabilities.stagingRefFor) */
  stagedRefs: ReadonlyMap<string, string>;
  signal?: AbortSignal;
}

/**
 * A provider's restore writer. Built per restore job with the job's egress route
 * (`ProviderSupport.restorer(target)` in @repovault/providers/catalog).
 */
export interface RepositoryRestorer {
  readonly kind: ProviderKind;
  readonly capabilities: RestoreCapabilities;
  /**
   * Origins besides the API's own that must receive the credential (GitHub's uploads host for
   * release assets). The worker registers them on the restore's egress route; everything else
   * (signed download or upload URLs) is reached without it.
   */
  readonly credentialOrigins?: readonly string[];
  /** the repository `owner/name`, or null when it does not exist (or the credential cannot see it) */
  findRepository(owner: string, name: string): Promise<RestoreTargetRepository | null>;
  /**
   * Creates an empty repository (no README, no default labels where the provider can skip them).
   * Throws RestoreTargetExistsError when the name is taken, RestoreForbiddenError when the credential
   * may not create repositories there. The worker guards it with the ledger (`repository` entry).
   */
  createRepository(request: RepositoryCreateRequest): Promise<RestoreTargetRepository>;
  /** after the git push: make `branch` the default branch (no-op when it already is) */
  setDefaultBranch(target: RestoreTargetRepository, branch: string): Promise<void>;
  /**
   * Writes the snapshot's metadata into the target, each item through {@link restoreOnce}, reporting
   * through `context.progress`. Must be safe to call again after it was killed at any point. In
   * `overwrite` mode, items the target still holds (same provider id, or the same natural key for
   * labels, milestones and releases) are kept as they are and counted as restored: only what is
   * missing upstream is written again.
   */
  restoreMetadata(context: MetadataRestoreContext): Promise<MetadataRestoreResult | void>;
}

/** What the worker must know after `restoreMetadata` (every field optional). */
export interface MetadataRestoreResult {
  /**
   * Staging branches (target ref names, see RestoreCapabilities.stagingRefFor) that restored items
   * still need — e.g. the head of a restored open pull request, which GitHub closes when its branch
   * is deleted. The worker deletes every other staging branch and names these in the report.
   * Must be the same on every attempt (derived from the snapshot, not from what this attempt wrote).
   */
  keepStagedRefs?: readonly string[];
}

/** Builds the restorer of an adapter target (catalog entry). */
export type RepositoryRestorerFactory = (target: AdapterTarget) => RepositoryRestorer;

// ---------------------------------------------------------------------------------------------------
// Texts: attribution, markers, cross-references
// ---------------------------------------------------------------------------------------------------

/** Who wrote a restored text and when, as the source recorded it. */
export interface OriginalAuthorship {
  /** login / username / display name; null when the source had none (deleted user) */
  author: string | null;
  /** RFC 3339 */
  createdAt: string | null;
  /** what it was in the source, e.g. `acme/widgets#12` or `release v1.0` */
  original?: string | null;
}

const MARKER_PREFIX = '<!-- repovault-restore ';
const MARKER_PATTERN = /\n*<!-- repovault-restore restore=([0-9A-Za-z-]+) kind=([a-z0-9-]+) id=([^ ]+) -->\s*$/;
const ATTRIBUTION_PATTERN = /^> \*\*Restored by RepoVault\.\*\* [^\n]*(?:\n\n?|$)/;

/**
 * The hidden marker a created text ends with: which restore created it from which source item.
 * Markdown renderers hide HTML comments, and `find` after a crash looks for it.
 */
export function restoreMarker(restoreId: string, kind: RestoreLedgerKind, sourceId: string): string {
  return `${MARKER_PREFIX}restore=${restoreId} kind=${kind} id=${encodeURIComponent(sourceId)} -->`;
}

/** The marker at the end of a text, if any. */
export function readRestoreMarker(text: string | null | undefined): { restoreId: string; kind: string; sourceId: string } | null {
  const match = MARKER_PATTERN.exec(text ?? '');
  if (!match) return null;
  return { restoreId: match[1] as string, kind: match[2] as string, sourceId: decodeURIComponent(match[3] as string) };
}

/**
 * The one-line attribution (no newline), e.g.
 * ``> **Restored by RepoVault.** Originally by `alice` on 2024-03-01T10:00:00Z (`acme/widgets#12`)``.
 * Names and references are code spans so that providers neither notify the original author
 * (`@alice`) nor add a back-reference to the original item for every restored one.
 */
export function attributionLine(authorship: OriginalAuthorship): string {
  const code = (value: string) => `\`${value.replace(/[`\n\r]/g, ' ')}\``;
  const by = authorship.author ? code(authorship.author) : 'an unknown user';
  const when = authorship.createdAt ? ` on ${authorship.createdAt}` : '';
  const what = authorship.original ? ` (${code(authorship.original)})` : '';
  return `> **Restored by RepoVault.** Originally by ${by}${when}${what}`;
}

/** `body` with the attribution line in front and the marker at the end. */
export function withRestoreAttribution(body: string | null | undefined, authorship: OriginalAuthorship, marker: string): string {
  const text = body ?? '';
  return `${attributionLine(authorship)}\n\n${text}${text === '' ? '' : '\n\n'}${marker}`;
}

/** `body` with only the marker (texts that need no attribution, e.g. a milestone description). */
export function withRestoreMarker(body: string | null | undefined, marker: string): string {
  const text = body ?? '';
  return `${text}${text === '' ? '' : '\n\n'}${marker}`;
}

/** The text as it was before a restore added attribution and marker (unchanged when it has neither). */
export function stripRestoreAttribution(text: string | null | undefined): string {
  let out = (text ?? '').replace(/\r\n/g, '\n');
  out = out.replace(MARKER_PATTERN, '');
  out = out.replace(ATTRIBUTION_PATTERN, '');
  return out;
}

/** One kind of number reference in texts: the sigil and where its numbers go. */
export interface CrossReferenceRule {
  /** `#` (GitHub issues and pull requests, GitLab and Bitbucket issues) or `!` (GitLab merge requests) */
  sigil: '#' | '!';
  /** the target number of a source number, or null when that item was not restored */
  map: (sourceNumber: number) => number | null;
}

export interface CrossReferenceOptions {
  rules: readonly CrossReferenceRule[];
  /** `owner/repo` of the source: `owner/repo#N` is remapped too, and unmapped `#N` is qualified with it */
  sourceFullName: string;
  /** `owner/repo` of the target: a remapped `owner/repo#N` names the target */
  targetFullName: string;
}

/**
 * Rewrites references to the source's numbers in markdown: `#12` → `#7`, `acme/widgets#12` →
 * `acme/widgets-restored#7`; a reference to an item that was not restored becomes `acme/widgets#12`
 * (it still names the original instead of a wrong item in the target). Code spans, fenced code
 * blocks, URLs, HTML entities (`&#123;`) and words (`abc#12`) are left alone.
 */
export function remapCrossReferences(text: string | null | undefined, options: CrossReferenceOptions): string {
  const input = text ?? '';
  if (input === '') return input;
  const rules = new Map(options.rules.map((r) => [r.sigil, r]));
  if (rules.size === 0) return input;
  const sigils = [...rules.keys()].map((s) => `\\${s}`).join('');
  const source = escapeRegExp(options.sourceFullName);
  // qualified (owner/repo#N) or bare (#N); a bare one must not follow a word character, `&`, `/` or another sigil
  const reference = new RegExp(`(?<qualified>(?<![\\w./-])${source})?(?<sigil>[${sigils}])(?<number>[1-9][0-9]{0,9})(?![\\w-])`, 'g');
  return mapOutsideCode(input, (segment) =>
    segment.replace(reference, (whole: string, ...args: unknown[]) => {
      const groups = args[args.length - 1] as { qualified?: string; sigil: '#' | '!'; number: string };
      const offset = args[args.length - 3] as number;
      const full = args[args.length - 2] as string;
      if (!groups.qualified && !bareReferenceAllowed(full, offset)) return whole;
      const rule = rules.get(groups.sigil);
      const sourceNumber = Number(groups.number);
      const mapped = rule?.map(sourceNumber) ?? null;
      if (mapped === null) return `${options.sourceFullName}${groups.sigil}${sourceNumber}`;
      return groups.qualified ? `${options.targetFullName}${groups.sigil}${mapped}` : `${groups.sigil}${mapped}`;
    }),
  );
}

function bareReferenceAllowed(text: string, offset: number): boolean {
  if (offset === 0) return true;
  const before = text[offset - 1] as string;
  if (/[\w&/#!@.-]/.test(before)) return false;
  // inside a URL or autolink: the previous whitespace-delimited token contains "://"
  const tokenStart = Math.max(text.lastIndexOf(' ', offset), text.lastIndexOf('\n', offset), text.lastIndexOf('(', offset), text.lastIndexOf('<', offset));
  return !text.slice(tokenStart + 1, offset).includes('://');
}

/** Applies `fn` to the parts of markdown outside fenced code blocks and inline code spans. */
function mapOutsideCode(text: string, fn: (segment: string) => string): string {
  const out: string[] = [];
  const lines = text.split('\n');
  let fence: string | null = null;
  let prose: string[] = [];
  const flushProse = () => {
    if (prose.length === 0) return;
    out.push(mapOutsideInlineCode(prose.join('\n'), fn));
    prose = [];
  };
  for (const line of lines) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && opener) {
      flushProse();
      fence = opener[1] as string;
      out.push(line);
    } else if (fence !== null) {
      out.push(line);
      if (new RegExp(`^ {0,3}${escapeRegExp(fence)}[${fence[0] === '`' ? '`' : '~'}]*\\s*$`).test(line)) fence = null;
    } else {
      prose.push(line);
    }
  }
  flushProse();
  return out.join('\n');
}

function mapOutsideInlineCode(text: string, fn: (segment: string) => string): string {
  const parts = text.split(/(`+[^`]*?`+)/);
  return parts.map((part, index) => (index % 2 === 1 ? part : fn(part))).join('');
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
