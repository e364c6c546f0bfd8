import {
  type MetadataRestoreContext, type MetadataRestoreResult, type RestoredRef, remapCrossReferences, RestoreSteps, withRestoreAttribution,
} from '@repovault/providers/core';
import { BITBUCKET_CLOUD_EXPORT_FIELDS } from '../bitbucket-cloud-metadata-export';
import type { BitbucketRecord } from '../bitbucket-cloud-pages';
import { type BitbucketCloudRestoreApi, isBitbucketCloudWriteRefusal } from './bitbucket-cloud-restore-api';
import { BITBUCKET_CLOUD_UNWRITABLE_KINDS } from './bitbucket-cloud-restore-capabilities';

const str = (record: BitbucketRecord, field: string): string | null => (typeof record[field] === 'string' ? (record[field] as string) : null);
const num = (record: BitbucketRecord, field: string): number | null => (typeof record[field] === 'number' ? (record[field] as number) : null);
const obj = (record: BitbucketRecord, field: string): BitbucketRecord => (typeof record[field] === 'object' && record[field] !== null && !Array.isArray(record[field]) ? (record[field] as BitbucketRecord) : {});
/** Who wrote it, as Bitbucket names people: the nickname, else the display name. */
const person = (record: BitbucketRecord, field: string): string | null => str(obj(record, field), 'nickname') ?? str(obj(record, field), 'display_name');
const raw = (record: BitbucketRecord): string => str(obj(record, 'content'), 'raw') ?? '';

/** Issue states a new issue starts in; any other state is set after creation. */
const INITIAL_ISSUE_STATE = 'new';

/**
 * Writes a snapshot's Bitbucket Cloud metadata into the target repository: pull requests (declined
 * again when they were declined, merged or superseded: Bitbucket merges only by merging) and their
 * comments, conversation and inline, replies under their restored parents; issues (when the target
 * has an issue tracker) with their state and comments; download artifacts. Texts whose references
 * pointed at items created later are rewritten once every number is known. Every write goes through
 * the ledger, so running it again after a crash writes nothing twice.
 */
export function restoreBitbucketCloudMetadata(api: BitbucketCloudRestoreApi, context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
  return new BitbucketCloudMetadataRestore(api, context).run();
}

interface SourceItem {
  kind: 'pull-requests' | 'issues';
  id: number;
  record: BitbucketRecord;
}

class BitbucketCloudMetadataRestore {
  private readonly steps: RestoreSteps;
  private readonly workspace: string;
  private readonly slug: string;
  /** source number → target number */
  private readonly pulls = new Map<number, number>();
  private readonly issues = new Map<number, number>();
  /** source comment id → target comment id (replies go under their restored parent) */
  private readonly comments = new Map<string, number>();
  private readonly written = new Map<SourceItem, string>();

  constructor(private readonly api: BitbucketCloudRestoreApi, private readonly context: MetadataRestoreContext) {
    this.steps = new RestoreSteps(context, isBitbucketCloudWriteRefusal);
    this.workspace = context.target.owner;
    this.slug = context.target.name;
  }

  async run(): Promise<MetadataRestoreResult> {
    const pulls = this.steps.wants('pull-requests') ? (await this.steps.collect<BitbucketRecord>('pull-requests')).map((record) => ({ kind: 'pull-requests' as const, id: num(record, 'id') ?? 0, record })) : [];
    const issues = this.steps.wants('issues') ? (await this.steps.collect<BitbucketRecord>('issues')).map((record) => ({ kind: 'issues' as const, id: num(record, 'id') ?? 0, record })) : [];
    const byId = (a: SourceItem, b: SourceItem): number => a.id - b.id;
    for (const item of pulls.sort(byId)) await this.restorePull(item);
    if (issues.length > 0) {
      const tracker = (await this.api.repository(this.workspace, this.slug))['has_issues'] === true;
      if (!tracker) {
        this.context.progress.notRestored('issues', 'the target repository has no issue tracker', undefined, issues.length);
      } else {
        for (const item of issues.sort(byId)) await this.restoreIssue(item);
      }
    }
    await this.fixReferences([...pulls, ...issues]);
    for (const item of pulls) await this.restorePullState(item);
    if (this.steps.wants('review-comments')) await this.restoreComments('review-comments');
    if (this.steps.wants('issue-comments')) await this.restoreComments('issue-comments');
    if (this.steps.wants('release-assets')) await this.restoreDownloads();
    this.reportUnwritable(pulls, issues);
    await this.context.progress.checkpoint();
    return {};
  }

  // -------------------------------------------------------------------------------------------
  // pull requests and issues

  private remap(text: string): string {
    // Bitbucket links #N to issues; pull requests share the notation in texts people write
    return remapCrossReferences(text, {
      rules: [{ sigil: '#', map: (n) => this.issues.get(n) ?? this.pulls.get(n) ?? null }],
      sourceFullName: this.context.source.fullName,
      targetFullName: this.context.target.fullName,
    });
  }

  private body(item: SourceItem): string {
    const text = item.kind === 'pull-requests' ? (str(item.record, 'description') ?? '') : raw(item.record);
    const author = person(item.record, item.kind === 'pull-requests' ? 'author' : 'reporter');
    const original = `${this.context.source.fullName}${item.kind === 'pull-requests' ? ' pull request' : ''} #${item.id}`;
    return withRestoreAttribution(this.remap(text), { author, createdAt: str(item.record, 'created_on'), original }, this.steps.marker(item.kind, String(item.id)));
  }

  private async restorePull(item: SourceItem): Promise<void> {
    const { record } = item;
    const label = `#${item.id}`;
    const source = str(obj(obj(record, 'source'), 'branch'), 'name');
    const destination = str(obj(obj(record, 'destination'), 'branch'), 'name');
    const refs = this.context.targetRefs;
    if (!source || !refs[`refs/heads/${source}`]) {
      this.context.progress.notRestored('pull-requests', `not restorable: its source branch ${source ?? '(none)'} is not in the target, and Bitbucket Cloud keeps no refs of pull requests to stage it from`, label);
      return;
    }
    if (!destination || !refs[`refs/heads/${destination}`]) {
      this.context.progress.notRestored('pull-requests', `not restorable: its destination branch ${destination ?? '(none)'} is not in the target`, label);
      return;
    }
    const description = this.body(item);
    this.written.set(item, description);
    const ref = await this.steps.once('pull-requests', String(item.id), async () => {
      const created = await this.api.createPullRequest(this.workspace, this.slug, {
        title: str(record, 'title') ?? label, description, source: { branch: { name: source } }, destination: { branch: { name: destination } },
        close_source_branch: record['close_source_branch'] === true, ...(record['draft'] === true ? { draft: true } : {}),
      });
      return { targetId: String(created['id']), targetNumber: num(created, 'id') };
    }, () => this.findByMarker(item), { kind: 'pull-requests', id: label });
    if (ref?.targetNumber) this.pulls.set(item.id, ref.targetNumber);
  }

  /** Declines what was not open (after the reference fix-ups: Bitbucket edits only open pull requests). */
  private async restorePullState(item: SourceItem): Promise<void> {
    const target = this.pulls.get(item.id);
    if (target === undefined) return;
    const label = `#${item.id}`;
    const state = str(item.record, 'state') ?? 'OPEN';
    if (state !== 'OPEN') {
      const declined = await this.steps.once('pull-request-states', String(item.id), async () => {
        await this.api.declinePullRequest(this.workspace, this.slug, target);
        return { targetId: String(target) };
      }, async () => null, { kind: 'pull-requests', id: label });
      if (!declined) return;
      if (state !== 'DECLINED') {
        this.context.progress.notRestored('pull-request-state', `restored declined: Bitbucket Cloud cannot mark a pull request ${state.toLowerCase()} without merging it`, label);
      }
    }
    this.context.progress.restored('pull-requests');
  }

  private async restoreIssue(item: SourceItem): Promise<void> {
    const { record } = item;
    const label = `#${item.id}`;
    const content = this.body(item);
    this.written.set(item, content);
    const kind = str(record, 'kind');
    const priority = str(record, 'priority');
    const ref = await this.steps.once('issues', String(item.id), async () => {
      const created = await this.api.createIssue(this.workspace, this.slug, {
        title: str(record, 'title') ?? label, content: { raw: content }, ...(kind ? { kind } : {}), ...(priority ? { priority } : {}),
      });
      return { targetId: String(created['id']), targetNumber: num(created, 'id') };
    }, () => this.findByMarker(item), { kind: 'issues', id: label });
    if (!ref?.targetNumber) return;
    const target = ref.targetNumber;
    this.issues.set(item.id, target);
    const state = str(record, 'state');
    if (state && state !== INITIAL_ISSUE_STATE) {
      const set = await this.steps.once('issue-states', String(item.id), async () => {
        await this.api.updateIssue(this.workspace, this.slug, target, { state });
        return { targetId: String(target) };
      }, async () => null, { kind: 'issues', id: label });
      if (!set) return;
    }
    this.context.progress.restored('issues');
  }

  /** A pull request or issue a killed attempt created: among the newest, carrying this restore's marker. */
  private async findByMarker(item: SourceItem): Promise<RestoredRef | null> {
    const text = (r: BitbucketRecord): string | null => (item.kind === 'pull-requests' ? str(r, 'description') : raw(r));
    const marked = (records: BitbucketRecord[]): BitbucketRecord | undefined => records.find((r) => this.steps.isMarked(text(r), item.kind, String(item.id)));
    const found =
      item.kind === 'pull-requests'
        ? (marked(await this.api.newestPullRequests(this.workspace, this.slug)) ?? marked(await this.api.pullRequests(this.workspace, this.slug)))
        : (marked(await this.api.newestIssues(this.workspace, this.slug)) ?? marked(await this.api.issues(this.workspace, this.slug)));
    return found ? { targetId: String(found['id']), targetNumber: num(found, 'id') } : null;
  }

  /** Texts were written with the numbers known then: rewrite those whose references now map differently. */
  private async fixReferences(items: SourceItem[]): Promise<void> {
    for (const item of items) {
      const written = this.written.get(item);
      const target = item.kind === 'pull-requests' ? this.pulls.get(item.id) : this.issues.get(item.id);
      if (written === undefined || target === undefined) continue;
      const right = this.body(item);
      if (right === written) continue;
      await this.steps.once('text-fixups', `${item.kind}:${item.id}`, async () => {
        if (item.kind === 'issues') await this.api.updateIssue(this.workspace, this.slug, target, { content: { raw: right } });
        else await this.api.updatePullRequest(this.workspace, this.slug, target, { description: right });
        return { targetId: String(target) };
      }, async () => null, { kind: item.kind, id: `#${item.id}` });
    }
  }

  // -------------------------------------------------------------------------------------------
  // comments

  private async restoreComments(kind: 'review-comments' | 'issue-comments'): Promise<void> {
    const parents = kind === 'review-comments' ? this.pulls : this.issues;
    const present = new Map<number, Set<string>>();
    let deleted = 0;
    for await (const comment of this.context.metadata.records<BitbucketRecord>(kind)) {
      this.context.signal?.throwIfAborted();
      const id = String(comment['id']);
      const sourceParent = num(obj(comment, kind === 'review-comments' ? 'pullrequest' : 'issue'), 'id') ?? 0;
      const label = `#${sourceParent} comment ${id}`;
      if (comment['deleted'] === true) {
        deleted++;
        continue;
      }
      const parent = parents.get(sourceParent);
      if (parent === undefined) {
        this.context.progress.notRestored(kind, `its ${kind === 'review-comments' ? 'pull request' : 'issue'} was not restored`, label);
        continue;
      }
      if (this.context.mode === 'overwrite') {
        if (!present.has(parent)) present.set(parent, new Set((await this.commentsOf(kind, parent)).map((c) => String(c['id']))));
        if (present.get(parent)?.has(id)) {
          this.context.progress.restored(kind);
          continue;
        }
      }
      const body = withRestoreAttribution(this.remap(raw(comment)), { author: person(comment, 'user'), createdAt: str(comment, 'created_on'), original: `${this.context.source.fullName} ${label}` }, this.steps.marker(kind, id));
      const inline = obj(comment, 'inline');
      const replyTo = num(obj(comment, 'parent'), 'id');
      const targetParentComment = replyTo === null ? undefined : this.comments.get(String(replyTo));
      const ref = await this.steps.once(kind, id, async () => {
        const fields: Record<string, unknown> = { content: { raw: body } };
        if (kind === 'review-comments' && str(inline, 'path')) fields['inline'] = { path: str(inline, 'path'), ...(num(inline, 'to') !== null ? { to: num(inline, 'to') } : {}), ...(num(inline, 'from') !== null ? { from: num(inline, 'from') } : {}) };
        if (targetParentComment !== undefined) fields['parent'] = { id: targetParentComment };
        const created =
          kind === 'review-comments'
            ? await this.api.createPullRequestComment(this.workspace, this.slug, parent, fields)
            : await this.api.createIssueComment(this.workspace, this.slug, parent, fields);
        return { targetId: String(created['id']) };
      }, async () => {
        const found = (await this.commentsOf(kind, parent)).find((c) => this.steps.isMarked(raw(c), kind, id));
        return found ? { targetId: String(found['id']) } : null;
      }, { kind, id: label });
      if (!ref) continue;
      this.comments.set(id, Number(ref.targetId));
      this.context.progress.restored(kind);
    }
    if (deleted > 0) this.context.progress.notRestored(kind, 'deleted comments are kept by Bitbucket only as placeholders: they are not restored', undefined, deleted);
  }

  private commentsOf(kind: 'review-comments' | 'issue-comments', parent: number): Promise<BitbucketRecord[]> {
    return kind === 'review-comments' ? this.api.pullRequestComments(this.workspace, this.slug, parent) : this.api.issueComments(this.workspace, this.slug, parent);
  }

  // -------------------------------------------------------------------------------------------
  // downloads

  /** Download artifacts by name (Bitbucket's key for them: an upload with a taken name replaces the file). */
  private async restoreDownloads(): Promise<void> {
    let existing: Set<string> | null = null;
    const names = async (): Promise<Set<string>> => new Set((await this.api.downloads(this.workspace, this.slug)).map((d) => String(d['name'])));
    for await (const download of this.context.metadata.records<BitbucketRecord>('release-assets')) {
      this.context.signal?.throwIfAborted();
      const name = str(download, 'name');
      if (!name) continue;
      const sha256 = str(download, BITBUCKET_CLOUD_EXPORT_FIELDS.sha256);
      if (!sha256) {
        this.context.progress.notRestored('release-assets', 'the snapshot holds only its metadata (the backup did not download the file)', name);
        continue;
      }
      existing ??= await names();
      if (existing.has(name)) {
        this.context.progress.restored('release-assets');
        continue;
      }
      const ref = await this.steps.once('release-assets', name, async () => {
        const body = await this.context.metadata.openAsset(sha256);
        if (!body) throw new Error(`the bytes of download ${name} are missing from the snapshot store`);
        await this.api.uploadDownload(this.workspace, this.slug, { name, size: num(download, BITBUCKET_CLOUD_EXPORT_FIELDS.bytes), body });
        return { targetId: name };
      }, async () => ((await names()).has(name) ? { targetId: name } : null), { kind: 'release-assets', id: name });
      if (ref) this.context.progress.restored('release-assets');
    }
  }

  // -------------------------------------------------------------------------------------------
  // what Bitbucket Cloud cannot write

  private reportUnwritable(pulls: SourceItem[], issues: SourceItem[]): void {
    this.steps.reportUnwritable(BITBUCKET_CLOUD_UNWRITABLE_KINDS);
    const approvals = pulls.reduce((n, p) => n + (Array.isArray(p.record['participants']) ? (p.record['participants'] as BitbucketRecord[]).filter((x) => x['approved'] === true || x['state'] === 'changes_requested').length : 0), 0);
    // the snapshot keeps approvals inside its pull requests (no `reviews` records): named apart from the item counts
    if (approvals > 0) this.context.progress.notRestored('approvals', BITBUCKET_CLOUD_UNWRITABLE_KINDS.reviews ?? '', undefined, approvals);
    const reviewers = pulls.filter((p) => this.pulls.has(p.id) && Array.isArray(p.record['reviewers']) && (p.record['reviewers'] as unknown[]).length > 0).length;
    if (reviewers > 0) this.context.progress.notRestored('reviewers', 'reviewers are not restored: a restore asks nobody to review', undefined, reviewers);
    const restored = issues.filter((i) => this.issues.has(i.id));
    const assigned = restored.filter((i) => i.record['assignee'] !== null && i.record['assignee'] !== undefined).length;
    if (assigned > 0) this.context.progress.notRestored('assignees', 'assignees are not restored: a restore assigns nobody', undefined, assigned);
    for (const field of ['milestone', 'version', 'component'] as const) {
      const count = restored.filter((i) => i.record[field] !== null && i.record[field] !== undefined).length;
      if (count > 0) this.context.progress.notRestored(`issue-${field}s`, `issue ${field}s are not restored: Bitbucket Cloud's API cannot create them`, undefined, count);
    }
  }
}
