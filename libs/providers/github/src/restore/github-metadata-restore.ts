import {
  type MetadataKind, type MetadataRestoreContext, type RestoreItemKind, type MetadataRestoreResult, type RestoredRef, type RestoreLedgerKind, readRestoreMarker, remapCrossReferences,
  restoreMarker, restoreOnce, withRestoreAttribution,
} from '@repovault/providers/core';
import type { GitHubRecord } from '../github-metadata-export';
import { GITHUB_EXPORT_FIELDS } from '../github-metadata-export';
import { GitHubRestoreApi, GitHubWriteRefusedError } from './github-restore-api';
import { planNumbers } from './github-restore-numbering';
import { GITHUB_UNWRITABLE_KINDS } from './github-restore-capabilities';

/** One issue or pull request of the snapshot, with what a restore needs of it. */
interface SourceItem {
  kind: 'issues' | 'pull-requests';
  id: string;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | null;
  author: string | null;
  createdAt: string | null;
  labels: string[];
  milestone: number | null;
  assigned: boolean;
  pull: { headRef: string; headSha: string; baseRef: string; merged: boolean; draft: boolean } | null;
}

type PullHead = { head: string; stagedRef: string | null } | { notRestorable: string };

const str = (record: GitHubRecord, field: string): string | null => (typeof record[field] === 'string' ? (record[field] as string) : null);
const num = (record: GitHubRecord, field: string): number | null => (typeof record[field] === 'number' ? (record[field] as number) : null);
const obj = (record: GitHubRecord, field: string): GitHubRecord => (typeof record[field] === 'object' && record[field] !== null ? (record[field] as GitHubRecord) : {});
const login = (record: GitHubRecord, field: string): string | null => str(obj(record, field), 'login');

/**
 * Writes a snapshot's GitHub metadata into the target repository, in this order: labels,
 * milestones, issues and pull requests (in source-number order, so numbers can be predicted),
 * reference fix-ups where a prediction failed, comments, releases and their assets. Every write goes
 * through the ledger (restoreOnce), so running it again after a crash writes nothing twice.
 */
export async function restoreGitHubMetadata(api: GitHubRestoreApi, context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
  return new GitHubMetadataRestore(api, context).run();
}

class GitHubMetadataRestore {
  private readonly kinds: ReadonlySet<MetadataKind>;
  /** source milestone number → target number */
  private readonly milestones = new Map<number, number>();
  /** source issue / pull request number → target number, as created (or found) */
  private readonly actual = new Map<number, number>();
  private planned = new Map<number, number>();
  private readonly labels = new Set<string>();
  private readonly keepStagedRefs = new Set<string>();

  constructor(private readonly api: GitHubRestoreApi, private readonly context: MetadataRestoreContext) {
    this.kinds = new Set(context.kinds.filter((k) => context.metadata.has(k)));
  }

  async run(): Promise<MetadataRestoreResult> {
    if (this.kinds.has('labels')) await this.restoreLabels();
    if (this.kinds.has('milestones')) await this.restoreMilestones();
    const items = await this.loadItems();
    if (items.length > 0) {
      await this.restoreItems(items);
      await this.fixReferences(items);
    }
    if (this.kinds.has('issue-comments')) await this.restoreComments();
    if (this.kinds.has('releases')) await this.restoreReleases();
    this.reportUnwritable(items);
    await this.context.progress.checkpoint();
    return { keepStagedRefs: [...this.keepStagedRefs].sort() };
  }

  // ---------------------------------------------------------------------------------------------
  // labels and milestones

  private async restoreLabels(): Promise<void> {
    const source = await this.collect('labels');
    const existing = new Map((await this.api.labels()).map((l) => [String(l['name']).toLowerCase(), l]));
    for (const label of source) {
      this.context.signal?.throwIfAborted();
      const name = str(label, 'name');
      if (!name) continue;
      const color = (str(label, 'color') ?? 'ededed').toLowerCase();
      const description = str(label, 'description') ?? '';
      // labels are upserted by name, which is idempotent by itself: nothing to find after a crash
      const done = await this.once('labels', name, async () => {
        const current = existing.get(name.toLowerCase());
        if (!current) {
          try {
            await this.api.createLabel({ name, color, description });
          } catch (error) {
            if (!(error instanceof GitHubWriteRefusedError && error.status === 422)) throw error;
            await this.api.updateLabel(name, { color, description }); // created meanwhile
          }
        } else if (String(current['color']).toLowerCase() !== color || (str(current, 'description') ?? '') !== description) {
          await this.api.updateLabel(String(current['name']), { color, description });
        }
        return { targetId: name };
      }, async () => null, { kind: 'labels', id: name });
      if (!done) continue;
      this.labels.add(name);
      this.context.progress.restored('labels');
    }
    if (!this.context.targetCreated) return;
    // GitHub's default labels of the new repository that the snapshot does not have
    const wanted = new Set(source.map((l) => String(l['name']).toLowerCase()));
    for (const current of existing.values()) {
      const name = String(current['name']);
      if (wanted.has(name.toLowerCase())) continue;
      await this.once('label-removals', name, async () => {
        await this.api.deleteLabel(name).catch((error: unknown) => {
          if ((error as Error).name !== 'UpstreamNotFoundError') throw error;
        });
        return { targetId: name };
      }, async () => null);
    }
  }

  private async restoreMilestones(): Promise<void> {
    const source = (await this.collect('milestones')).sort((a, b) => (num(a, 'number') ?? 0) - (num(b, 'number') ?? 0));
    const byTitle = new Map((await this.api.milestones()).map((m) => [String(m['title']), m]));
    for (const milestone of source) {
      this.context.signal?.throwIfAborted();
      const number = num(milestone, 'number');
      const title = str(milestone, 'title');
      if (number === null || !title) continue;
      const present = byTitle.get(title);
      if (present) {
        // titles are unique per repository: an earlier attempt (or the original, when overwriting) has it
        this.milestones.set(number, num(present, 'number') ?? 0);
        this.context.progress.restored('milestones');
        continue;
      }
      const sourceId = String(milestone['id'] ?? number);
      const state = str(milestone, 'state') === 'closed' ? 'closed' : 'open';
      const due = str(milestone, 'due_on');
      const description = withRestoreAttribution(str(milestone, 'description'), {
        author: login(milestone, 'creator'), createdAt: str(milestone, 'created_at'), original: `milestone ${title}`,
      }, this.marker('milestones', sourceId));
      const done = await this.once('milestones', sourceId, async () => {
        const created = await this.api.createMilestone({ title, state, description, ...(due ? { due_on: due } : {}) });
        return { targetId: String(created['id']), targetNumber: num(created, 'number') };
      }, async () => {
        const found = (await this.api.milestones()).find((m) => m['title'] === title);
        return found ? { targetId: String(found['id']), targetNumber: num(found, 'number') } : null;
      }, { kind: 'milestones', id: title });
      if (done?.targetNumber) {
        this.milestones.set(number, done.targetNumber);
        this.context.progress.restored('milestones');
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // issues and pull requests

  private async loadItems(): Promise<SourceItem[]> {
    const items: SourceItem[] = [];
    if (this.kinds.has('issues')) for (const issue of await this.collect('issues')) items.push(toItem('issues', issue));
    if (this.kinds.has('pull-requests')) for (const pull of await this.collect('pull-requests')) items.push(toItem('pull-requests', pull));
    return items.filter((i) => i.number > 0).sort((a, b) => a.number - b.number);
  }

  private async restoreItems(items: SourceItem[]): Promise<void> {
    const present = await this.presentItems();
    const heads = new Map(items.filter((i) => i.pull).map((i) => [i.number, this.pullHead(i)]));
    const base = await this.numberBase();
    this.planned = planNumbers(items.map((i) => {
      const head = heads.get(i.number);
      return { sourceNumber: i.number, create: !head || 'head' in head, presentAs: present.get(presenceKey(i)) ?? null };
    }), base);
    for (const item of items) {
      this.context.signal?.throwIfAborted();
      const existing = present.get(presenceKey(item));
      if (existing !== undefined) {
        this.actual.set(item.number, existing);
        this.context.progress.restored(item.kind);
        continue;
      }
      if (item.kind === 'issues') await this.restoreIssue(item);
      else await this.restorePull(item, heads.get(item.number) ?? { notRestorable: 'it has no head' });
    }
  }

  /** Overwrite: the issues and pull requests the target still holds, by number and creation time. */
  private async presentItems(): Promise<Map<string, number>> {
    if (this.context.mode !== 'overwrite') return new Map();
    return new Map((await this.api.allIssues()).map((i) => [`${String(i['number'])}@${String(i['created_at'])}`, num(i, 'number') ?? 0]));
  }

  /** The target's highest number before this restore wrote any (kept in the ledger: later attempts see their own items). */
  private async numberBase(): Promise<number> {
    const done = await this.once('number-base', 'issues', async () => {
      if (this.context.targetCreated) return { targetId: 'base', targetNumber: 0 };
      const newest = await this.api.newestIssues();
      return { targetId: 'base', targetNumber: Math.max(0, ...newest.map((i) => num(i, 'number') ?? 0)) };
    }, async () => null);
    return done?.targetNumber ?? 0;
  }

  private async restoreIssue(item: SourceItem): Promise<void> {
    const body = this.itemBody(item, this.planned);
    const labels = this.kinds.has('labels') ? item.labels.filter((l) => this.labels.has(l)) : [];
    const milestone = item.milestone === null ? undefined : this.milestones.get(item.milestone);
    const ref = await this.once('issues', item.id, async () => {
      const created = await this.api.createIssue({ title: item.title, body, ...(labels.length ? { labels } : {}), ...(milestone ? { milestone } : {}) });
      return { targetId: String(created['id']), targetNumber: num(created, 'number') };
    }, () => this.findByMarker('issues', item.id), { kind: 'issues', id: `#${item.number}` });
    if (!ref?.targetNumber) return;
    this.actual.set(item.number, ref.targetNumber);
    if (item.state === 'closed') {
      const closed = await this.once('issue-states', item.id, async () => {
        await this.api.updateIssue(ref.targetNumber as number, { state: 'closed', ...(item.stateReason ? { state_reason: item.stateReason } : {}) });
        return { targetId: String(ref.targetNumber) };
      }, async () => null, { kind: 'issues', id: `#${item.number}` });
      if (!closed) return;
    }
    this.context.progress.restored('issues');
  }

  /**
   * A pull request needs its base and head branches in the target. Open ones use their own branch
   * when it still points at their head; closed ones (and open ones whose branch moved) use the
   * staged copy of `refs/pull/N/head`.
   */
  private pullHead(item: SourceItem): PullHead {
    const pull = item.pull;
    if (!pull) return { notRestorable: 'it has no head' };
    const refs = this.context.targetRefs;
    if (!refs[`refs/heads/${pull.baseRef}`]) return { notRestorable: `its base branch ${pull.baseRef} is not in the target (git was not restored, or the snapshot lacks it)` };
    const own = refs[`refs/heads/${pull.headRef}`] === pull.headSha ? pull.headRef : null;
    const stagedRef = this.context.stagedRefs.get(`refs/pull/${item.number}/head`) ?? null;
    const staged = stagedRef ? stagedRef.replace(/^refs\/heads\//, '') : null;
    if (item.state === 'open' && own) return { head: own, stagedRef: null };
    if (staged && stagedRef) return { head: staged, stagedRef };
    if (own) return { head: own, stagedRef: null };
    return { notRestorable: 'its head commits are not in the snapshot (no branch and no refs/pull head)' };
  }

  private async restorePull(item: SourceItem, head: PullHead): Promise<void> {
    const pull = item.pull;
    if (!pull) return;
    if ('notRestorable' in head) {
      this.context.progress.notRestored('pull-requests', `not restorable: ${head.notRestorable}`, `#${item.number}`);
      return;
    }
    // GitHub closes a pull request whose head branch is deleted: an open one keeps its staging branch
    if (item.state === 'open' && head.stagedRef) this.keepStagedRefs.add(head.stagedRef);
    const body = this.itemBody(item, this.planned);
    let ref: RestoredRef | null;
    try {
      ref = await this.once('pull-requests', item.id, async () => {
        const created = await this.api.createPull({ title: item.title, body, head: head.head, base: pull.baseRef, draft: pull.draft });
        return { targetId: String(created['id']), targetNumber: num(created, 'number') };
      }, () => this.findByMarker('pull-requests', item.id));
    } catch (error) {
      if (error instanceof GitHubWriteRefusedError && error.status === 422 && /no commits between/i.test(error.message)) {
        this.context.progress.notRestored('pull-requests', 'GitHub refuses a pull request without commits between its base and head', `#${item.number}`);
        return;
      }
      if (error instanceof GitHubWriteRefusedError) {
        this.context.progress.failed('pull-requests', `#${item.number}`, error.message);
        return;
      }
      throw error;
    }
    if (!ref?.targetNumber) return;
    const target = ref.targetNumber;
    this.actual.set(item.number, target);
    // labels, milestone and state go through the issue endpoint (pull request creation takes none of them)
    const labels = this.kinds.has('labels') ? item.labels.filter((l) => this.labels.has(l)) : [];
    const milestone = item.milestone === null ? undefined : this.milestones.get(item.milestone);
    if (labels.length > 0 || milestone !== undefined || item.state === 'closed') {
      const done = await this.once('pull-details', item.id, async () => {
        await this.api.updateIssue(target, { ...(labels.length ? { labels } : {}), ...(milestone ? { milestone } : {}), ...(item.state === 'closed' ? { state: 'closed' } : {}) });
        return { targetId: String(target) };
      }, async () => null, { kind: 'pull-requests', id: `#${item.number}` });
      if (!done) return;
    }
    if (pull.merged) {
      this.context.progress.notRestored('pull-request-state', 'restored closed: GitHub cannot mark a pull request merged without merging it', `#${item.number}`);
    }
    this.context.progress.restored('pull-requests');
  }

  /** Texts were written with predicted numbers: rewrite those whose references came out different. */
  private async fixReferences(items: SourceItem[]): Promise<void> {
    for (const item of items) {
      const target = this.actual.get(item.number);
      if (target === undefined || this.planned.get(item.number) === undefined) continue;
      const written = this.itemBody(item, this.planned);
      const right = this.itemBody(item, this.actual);
      if (written === right) continue;
      await this.once('text-fixups', item.id, async () => {
        await this.api.updateIssue(target, { body: right });
        return { targetId: String(target) };
      }, async () => null, { kind: item.kind, id: `#${item.number}` });
    }
  }

  private itemBody(item: SourceItem, numbers: ReadonlyMap<number, number>): string {
    const original = `${this.context.source.fullName}#${item.number}`;
    return withRestoreAttribution(this.remap(item.body, numbers), { author: item.author, createdAt: item.createdAt, original }, this.marker(item.kind, item.id));
  }

  // ---------------------------------------------------------------------------------------------
  // comments

  private async restoreComments(): Promise<void> {
    const present = this.context.mode === 'overwrite' ? new Set((await this.api.allComments()).map((c) => String(c['id']))) : new Set<string>();
    for await (const comment of this.context.metadata.records<GitHubRecord>('issue-comments')) {
      this.context.signal?.throwIfAborted();
      const id = String(comment['id']);
      const parent = Number(/\/issues\/(\d+)$/.exec(str(comment, 'issue_url') ?? '')?.[1] ?? NaN);
      const target = this.actual.get(parent);
      if (target === undefined) {
        this.context.progress.notRestored('issue-comments', 'its issue or pull request was not restored', `#${parent}`);
        continue;
      }
      if (present.has(id)) {
        this.context.progress.restored('issue-comments');
        continue;
      }
      const body = withRestoreAttribution(this.remap(str(comment, 'body'), this.actual), {
        author: login(comment, 'user'), createdAt: str(comment, 'created_at'), original: `${this.context.source.fullName}#${parent} comment ${id}`,
      }, this.marker('issue-comments', id));
      const done = await this.once('issue-comments', id, async () => {
        const created = await this.api.createComment(target, body);
        return { targetId: String(created['id']) };
      }, async () => {
        const found = (await this.api.comments(target)).find((c) => this.isMarked(c['body'], 'issue-comments', id));
        return found ? { targetId: String(found['id']) } : null;
      }, { kind: 'issue-comments', id: `comment ${id}` });
      if (done) this.context.progress.restored('issue-comments');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // releases

  private async restoreReleases(): Promise<void> {
    const assets = new Map<string, GitHubRecord[]>();
    if (this.kinds.has('release-assets')) {
      for (const asset of await this.collect('release-assets')) {
        const releaseId = String(asset[GITHUB_EXPORT_FIELDS.releaseId]);
        assets.set(releaseId, [...(assets.get(releaseId) ?? []), asset]);
      }
    }
    const releases = (await this.collect('releases')).sort((a, b) => (str(a, 'created_at') ?? '').localeCompare(str(b, 'created_at') ?? '') || (num(a, 'id') ?? 0) - (num(b, 'id') ?? 0));
    let targetReleases = await this.api.releases();
    for (const release of releases) {
      this.context.signal?.throwIfAborted();
      const id = String(release['id']);
      const tag = str(release, 'tag_name') ?? '';
      const draft = release['draft'] === true;
      const releaseAssets = assets.get(id) ?? [];
      if (this.context.mode === 'overwrite' && !draft && targetReleases.some((r) => r['tag_name'] === tag && r['draft'] !== true)) {
        this.context.progress.restored('releases');
        this.context.progress.restored('release-assets', releaseAssets.length);
        continue;
      }
      if (!draft && !this.context.targetRefs[`refs/tags/${tag}`]) {
        this.context.progress.notRestored('releases', 'its tag is not in the target (git was not restored, or the snapshot lacks the tag)', tag);
        if (releaseAssets.length) this.context.progress.notRestored('release-assets', 'its release was not restored', tag, releaseAssets.length);
        continue;
      }
      const body = withRestoreAttribution(this.remap(str(release, 'body'), this.actual), {
        author: login(release, 'author'), createdAt: str(release, 'published_at') ?? str(release, 'created_at'), original: `release ${tag}`,
      }, this.marker('releases', id));
      const commitish = str(release, 'target_commitish');
      const ref = await this.once('releases', id, async () => {
        const created = await this.api.createRelease({
          tag_name: tag, name: str(release, 'name') ?? tag, body, draft, prerelease: release['prerelease'] === true,
          // only a draft without its tag needs a target; a branch the target lacks would be refused
          ...(draft && commitish && this.context.targetRefs[`refs/heads/${commitish}`] ? { target_commitish: commitish } : {}),
        });
        targetReleases = [...targetReleases, created];
        return { targetId: String(created['id']) };
      }, async () => {
        targetReleases = await this.api.releases();
        const found = targetReleases.find((r) => this.isMarked(r['body'], 'releases', id));
        return found ? { targetId: String(found['id']) } : null;
      }, { kind: 'releases', id: tag });
      if (!ref) {
        if (releaseAssets.length) this.context.progress.notRestored('release-assets', 'its release was not restored', tag, releaseAssets.length);
        continue;
      }
      this.context.progress.restored('releases');
      let uploadUrl = str(targetReleases.find((r) => String(r['id']) === ref.targetId) ?? {}, 'upload_url');
      if (!uploadUrl) {
        targetReleases = await this.api.releases();
        uploadUrl = str(targetReleases.find((r) => String(r['id']) === ref.targetId) ?? {}, 'upload_url');
      }
      for (const asset of releaseAssets) await this.restoreAsset(Number(ref.targetId), uploadUrl, asset, tag);
    }
  }

  private async restoreAsset(releaseId: number, uploadUrl: string | null, asset: GitHubRecord, tag: string): Promise<void> {
    const id = String(asset['id']);
    const name = str(asset, 'name') ?? id;
    const sha256 = str(asset, GITHUB_EXPORT_FIELDS.sha256);
    if (!sha256) {
      this.context.progress.notRestored('release-assets', 'the snapshot holds only its metadata (the backup did not download asset bytes)', `${tag}/${name}`);
      return;
    }
    if (!uploadUrl) {
      this.context.progress.failed('release-assets', `${tag}/${name}`, 'GitHub did not say where to upload the release assets');
      return;
    }
    const done = await this.once('release-assets', id, async () => {
      const body = await this.context.metadata.openAsset(sha256);
      if (!body) throw new GitHubWriteRefusedError(0, `the bytes of release asset ${tag}/${name} are missing from the snapshot store`);
      const size = num(asset, GITHUB_EXPORT_FIELDS.bytes) ?? num(asset, 'size') ?? 0;
      const created = await this.api.uploadAsset(uploadUrl, { name, contentType: str(asset, 'content_type') ?? 'application/octet-stream', size, body });
      return { targetId: String(created['id']) };
    }, async () => {
      const found = (await this.api.releaseAssets(releaseId)).find((a) => a['name'] === name && a['state'] !== 'starter');
      return found ? { targetId: String(found['id']) } : null;
    }, { kind: 'release-assets', id: `${tag}/${name}` });
    if (done) this.context.progress.restored('release-assets');
  }

  // ---------------------------------------------------------------------------------------------
  // what GitHub cannot write

  private reportUnwritable(items: SourceItem[]): void {
    for (const [kind, reason] of Object.entries(GITHUB_UNWRITABLE_KINDS) as Array<[MetadataKind, string]>) {
      if (!this.context.kinds.includes(kind)) continue;
      const count = this.context.metadata.count(kind);
      if (count > 0) this.context.progress.notRestored(kind, reason, undefined, count);
    }
    const assigned = items.filter((i) => i.assigned && this.actual.has(i.number)).length;
    if (assigned > 0) {
      this.context.progress.notRestored('assignees', 'assignees are not restored: GitHub assigns only collaborators of the target repository, and a restore does not invite anyone', undefined, assigned);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // helpers

  /**
   * restoreOnce; a refusal of this one item is reported as failed under `report` (and the item
   * skipped: null) instead of failing the restore. Without `report` refusals are thrown.
   */
  private async once(
    kind: RestoreLedgerKind, sourceId: string, create: () => Promise<RestoredRef>, find: () => Promise<RestoredRef | null>, report?: { kind: RestoreItemKind; id: string },
  ): Promise<RestoredRef | null> {
    try {
      return (await restoreOnce(this.context.ledger, kind, sourceId, { find, create })).ref;
    } catch (error) {
      if (!(error instanceof GitHubWriteRefusedError) || !report) throw error;
      this.context.progress.failed(report.kind, report.id, error.message);
      return null;
    }
  }

  /** An issue or pull request a killed attempt created: among the newest, carrying this restore's marker. */
  private async findByMarker(kind: 'issues' | 'pull-requests', sourceId: string): Promise<RestoredRef | null> {
    const found = (await this.api.newestIssues()).find((i) => this.isMarked(i['body'], kind, sourceId));
    return found ? { targetId: String(found['id']), targetNumber: num(found, 'number') } : null;
  }

  private isMarked(body: unknown, kind: string, sourceId: string): boolean {
    const marker = readRestoreMarker(typeof body === 'string' ? body : null);
    return marker !== null && marker.restoreId === this.context.restoreId && marker.kind === kind && marker.sourceId === sourceId;
  }

  private marker(kind: RestoreLedgerKind, sourceId: string): string {
    return restoreMarker(this.context.restoreId, kind, sourceId);
  }

  private remap(text: string | null, numbers: ReadonlyMap<number, number>): string {
    return remapCrossReferences(text, {
      rules: [{ sigil: '#', map: (n) => numbers.get(n) ?? null }],
      sourceFullName: this.context.source.fullName,
      targetFullName: this.context.target.fullName,
    });
  }

  private async collect(kind: MetadataKind): Promise<GitHubRecord[]> {
    const out: GitHubRecord[] = [];
    for await (const record of this.context.metadata.records<GitHubRecord>(kind)) out.push(record);
    return out;
  }
}

function toItem(kind: 'issues' | 'pull-requests', record: GitHubRecord): SourceItem {
  const labels = Array.isArray(record['labels']) ? (record['labels'] as GitHubRecord[]).map((l) => str(l, 'name')).filter((n): n is string => !!n) : [];
  const milestone = num(obj(record, 'milestone'), 'number');
  const reason = str(record, 'state_reason');
  const head = obj(record, 'head');
  const base = obj(record, 'base');
  return {
    kind,
    id: String(record['id']),
    number: num(record, 'number') ?? 0,
    title: str(record, 'title') ?? `#${String(record['number'])}`,
    body: str(record, 'body') ?? '',
    state: str(record, 'state') === 'closed' ? 'closed' : 'open',
    stateReason: reason === 'completed' || reason === 'not_planned' ? reason : null,
    author: login(record, 'user'),
    createdAt: str(record, 'created_at'),
    labels,
    milestone,
    assigned: Array.isArray(record['assignees']) && record['assignees'].length > 0,
    pull: kind === 'pull-requests'
      ? { headRef: str(head, 'ref') ?? '', headSha: str(head, 'sha') ?? '', baseRef: str(base, 'ref') ?? '', merged: str(record, 'merged_at') !== null, draft: record['draft'] === true }
      : null,
  };
}

/** In an overwrite, an item is still there when the target has its number with the same creation time. */
function presenceKey(item: SourceItem): string {
  return `${item.number}@${item.createdAt ?? ''}`;
}
