import {
  type MetadataRestoreContext, type MetadataRestoreResult, type RestoredRef, remapCrossReferences, RestoreSteps, withRestoreAttribution,
} from '@repovault/providers/core';
import type { BitbucketDcRecord } from '../bitbucket-dc-http';
import { type BitbucketDcRestoreApi, BitbucketDcWriteRefusedError, type DcRepositoryRef, isBitbucketDcWriteRefusal } from './bitbucket-dc-restore-api';
import { BITBUCKET_DC_UNWRITABLE_KINDS, bitbucketDcStagingBranch } from './bitbucket-dc-restore-capabilities';

const str = (record: BitbucketDcRecord, field: string): string | null => (typeof record[field] === 'string' ? (record[field] as string) : null);
const num = (record: BitbucketDcRecord, field: string): number | null => (typeof record[field] === 'number' ? (record[field] as number) : null);
const obj = (record: BitbucketDcRecord, field: string): BitbucketDcRecord => (typeof record[field] === 'object' && record[field] !== null && !Array.isArray(record[field]) ? (record[field] as BitbucketDcRecord) : {});
/** Data Center's milliseconds as RFC 3339. */
const instant = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const userName = (user: BitbucketDcRecord): string | null => str(user, 'name') ?? str(user, 'displayName');

type Head = { branch: string; staged: boolean } | { notRestorable: string };

interface SourcePull {
  id: number;
  record: BitbucketDcRecord;
}

/**
 * Writes a snapshot's Data Center metadata into the target repository: pull requests (declined again
 * when they were declined or merged: Data Center merges only by merging), with their texts'
 * references fixed once every number is known, then their comments in the order they were written,
 * replies under their restored parents and line comments on the same file and line. Every write goes
 * through the ledger, so running it again after a crash writes nothing twice.
 */
export function restoreBitbucketDcMetadata(api: BitbucketDcRestoreApi, context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
  return new BitbucketDcMetadataRestore(api, context).run();
}

class BitbucketDcMetadataRestore {
  private readonly steps: RestoreSteps;
  private readonly repo: DcRepositoryRef;
  /** source pull request id → target id */
  private readonly pulls = new Map<number, number>();
  /** source comment id → target comment id */
  private readonly comments = new Map<string, number>();
  private readonly written = new Map<SourcePull, string>();
  private readonly keep = new Set<string>();
  /** overwrite: pull requests the target still holds (kept as they are) */
  private readonly present = new Set<number>();

  constructor(private readonly api: BitbucketDcRestoreApi, private readonly context: MetadataRestoreContext) {
    this.steps = new RestoreSteps(context, isBitbucketDcWriteRefusal);
    this.repo = { projectKey: context.target.owner, slug: context.target.name };
  }

  async run(): Promise<MetadataRestoreResult> {
    const pulls = this.steps.wants('pull-requests') ? (await this.steps.collect<BitbucketDcRecord>('pull-requests')).map((record) => ({ id: num(record, 'id') ?? 0, record })).sort((a, b) => a.id - b.id) : [];
    for (const pull of pulls) {
      const head = this.headOf(pull);
      if ('branch' in head && head.staged && str(pull.record, 'state') === 'OPEN') this.keep.add(`refs/heads/${head.branch}`);
    }
    const present = await this.presentPulls();
    for (const pull of pulls) {
      const existing = present.get(`${pull.id}@${String(pull.record['createdDate'])}`);
      if (existing !== undefined) this.present.add(pull.id);
      if (existing !== undefined) this.pulls.set(pull.id, existing);
      else await this.restorePull(pull);
    }
    await this.fixReferences(pulls);
    for (const pull of pulls) await this.restoreState(pull);
    if (this.steps.wants('review-comments')) await this.restoreComments();
    this.steps.reportUnwritable(BITBUCKET_DC_UNWRITABLE_KINDS);
    const reviewers = pulls.filter((p) => this.pulls.has(p.id) && Array.isArray(p.record['reviewers']) && (p.record['reviewers'] as unknown[]).length > 0).length;
    if (reviewers > 0) this.context.progress.notRestored('reviewers', 'reviewers are not restored: a restore asks nobody to review', undefined, reviewers);
    await this.context.progress.checkpoint();
    return { keepStagedRefs: [...this.keep].sort() };
  }

  /** Overwrite: the pull requests the target still holds, by id and creation time. */
  private async presentPulls(): Promise<Map<string, number>> {
    if (this.context.mode !== 'overwrite') return new Map();
    return new Map((await this.api.pullRequests(this.repo)).map((p) => [`${String(p['id'])}@${String(p['createdDate'])}`, num(p, 'id') ?? 0]));
  }

  private remap(text: string | null): string {
    return remapCrossReferences(text, {
      rules: [{ sigil: '#', map: (n) => this.pulls.get(n) ?? null }],
      sourceFullName: this.context.source.fullName,
      targetFullName: this.context.target.fullName,
    });
  }

  /** The source branch when it still points at the pull request's source commit, else the staged copy of `refs/pull-requests/N/from`. */
  private headOf(pull: SourcePull): Head {
    const from = obj(pull.record, 'fromRef');
    const to = obj(pull.record, 'toRef');
    const refs = this.context.targetRefs;
    const toBranch = (str(to, 'id') ?? '').replace(/^refs\/heads\//, '');
    if (!refs[`refs/heads/${toBranch}`]) return { notRestorable: `its target branch ${toBranch || '(none)'} is not in the target (git was not restored, or the snapshot lacks it)` };
    const fromBranch = (str(from, 'id') ?? '').replace(/^refs\/heads\//, '');
    const own = refs[`refs/heads/${fromBranch}`];
    const latest = str(from, 'latestCommit');
    if (own && (latest === null || own === latest)) return { branch: fromBranch, staged: false };
    const staged = this.context.stagedRefs.get(`refs/pull-requests/${pull.id}/from`) ?? (refs[bitbucketDcStagingBranch(pull.id)] ? bitbucketDcStagingBranch(pull.id) : null);
    if (staged) return { branch: staged.replace(/^refs\/heads\//, ''), staged: true };
    if (own) return { branch: fromBranch, staged: false };
    return { notRestorable: 'its source commits are not in the target (no source branch and no refs/pull-requests ref)' };
  }

  private body(pull: SourcePull): string {
    const author = userName(obj(obj(pull.record, 'author'), 'user'));
    return withRestoreAttribution(this.remap(str(pull.record, 'description')), {
      author, createdAt: instant(num(pull.record, 'createdDate')), original: `${this.context.source.fullName} pull request #${pull.id}`,
    }, this.steps.marker('pull-requests', String(pull.id)));
  }

  private ref(branch: string): Record<string, unknown> {
    return { id: `refs/heads/${branch}`, repository: { slug: this.repo.slug, project: { key: this.repo.projectKey } } };
  }

  private async restorePull(pull: SourcePull): Promise<void> {
    const label = `#${pull.id}`;
    const head = this.headOf(pull);
    if ('notRestorable' in head) {
      this.context.progress.notRestored('pull-requests', `not restorable: ${head.notRestorable}`, label);
      return;
    }
    const description = this.body(pull);
    this.written.set(pull, description);
    const toBranch = (str(obj(pull.record, 'toRef'), 'id') ?? '').replace(/^refs\/heads\//, '');
    const create = async (branch: string): Promise<BitbucketDcRecord> =>
      this.api.createPullRequest(this.repo, {
        title: str(pull.record, 'title') ?? label, description, fromRef: this.ref(branch), toRef: this.ref(toBranch), ...(pull.record['draft'] === true ? { draft: true } : {}),
      });
    let ref: RestoredRef | null;
    try {
      ref = await this.steps.once('pull-requests', String(pull.id), async () => {
        let created: BitbucketDcRecord;
        try {
          created = await create(head.branch);
        } catch (error) {
          // another restored pull request is open for the same branches: open this one from its staged source
          const staged = this.context.stagedRefs.get(`refs/pull-requests/${pull.id}/from`);
          if (!(error instanceof BitbucketDcWriteRefusedError && /DuplicatePullRequest/.test(error.exceptionName ?? '') && staged && !head.staged)) throw error;
          created = await create(staged.replace(/^refs\/heads\//, ''));
        }
        return { targetId: String(created['id']), targetNumber: num(created, 'id') };
      }, () => this.findByMarker(pull));
    } catch (error) {
      if (error instanceof BitbucketDcWriteRefusedError && /EmptyPullRequest/.test(error.exceptionName ?? '')) {
        this.context.progress.notRestored('pull-requests', 'Data Center refuses a pull request whose source has no commits its target branch lacks (it was merged)', label);
        return;
      }
      if (error instanceof BitbucketDcWriteRefusedError) {
        this.context.progress.failed('pull-requests', label, error.message);
        return;
      }
      throw error;
    }
    if (ref?.targetNumber) this.pulls.set(pull.id, ref.targetNumber);
  }

  private async findByMarker(pull: SourcePull): Promise<RestoredRef | null> {
    const found = (await this.api.pullRequests(this.repo)).find((p) => this.steps.isMarked(p['description'], 'pull-requests', String(pull.id)));
    return found ? { targetId: String(found['id']), targetNumber: num(found, 'id') } : null;
  }

  /** Texts were written with the numbers known then: rewrite those whose references now map differently (before declining: only open pull requests can be edited). */
  private async fixReferences(pulls: SourcePull[]): Promise<void> {
    for (const pull of pulls) {
      const written = this.written.get(pull);
      const target = this.pulls.get(pull.id);
      if (written === undefined || target === undefined) continue;
      const right = this.body(pull);
      if (right === written) continue;
      await this.steps.once('text-fixups', String(pull.id), async () => {
        const current = await this.api.pullRequest(this.repo, target);
        await this.api.updatePullRequest(this.repo, target, { version: num(current, 'version') ?? 0, title: current['title'], description: right });
        return { targetId: String(target) };
      }, async () => null, { kind: 'pull-requests', id: `#${pull.id}` });
    }
  }

  private async restoreState(pull: SourcePull): Promise<void> {
    const target = this.pulls.get(pull.id);
    if (target === undefined) return;
    const label = `#${pull.id}`;
    const state = str(pull.record, 'state') ?? 'OPEN';
    if (state !== 'OPEN' && !this.present.has(pull.id)) {
      const declined = await this.steps.once('pull-request-states', String(pull.id), async () => {
        const current = await this.api.pullRequest(this.repo, target);
        if (current['state'] === 'OPEN') await this.api.declinePullRequest(this.repo, target, num(current, 'version') ?? 0);
        return { targetId: String(target) };
      }, async () => null, { kind: 'pull-requests', id: label });
      if (!declined) return;
      if (state === 'MERGED') this.context.progress.notRestored('pull-request-state', 'restored declined: Data Center cannot mark a pull request merged without merging it', label);
    }
    this.context.progress.restored('pull-requests');
  }

  // -------------------------------------------------------------------------------------------
  // comments

  /** COMMENTED activities oldest first; each comment, then its replies (nested in `comment.comments`), depth first. */
  private async restoreComments(): Promise<void> {
    const activities = (await this.steps.collect<BitbucketDcRecord>('review-comments'))
      .map((a) => ({ pull: num(a, 'pull_request_id') ?? 0, comment: obj(a, 'comment'), anchor: obj(a, 'commentAnchor') }))
      .sort((a, b) => (num(a.comment, 'createdDate') ?? 0) - (num(b.comment, 'createdDate') ?? 0) || (num(a.comment, 'id') ?? 0) - (num(b.comment, 'id') ?? 0));
    for (const activity of activities) {
      this.context.signal?.throwIfAborted();
      const target = this.pulls.get(activity.pull);
      const label = `#${activity.pull} comment ${String(activity.comment['id'])}`;
      if (target === undefined) {
        this.context.progress.notRestored('review-comments', 'its pull request was not restored', label);
        continue;
      }
      if (this.present.has(activity.pull) && (await this.presentComments(target)).has(String(activity.comment['id']))) {
        this.context.progress.restored('review-comments');
        continue;
      }
      if (await this.restoreComment(activity.pull, target, activity.comment, null)) this.context.progress.restored('review-comments');
    }
  }

  private readonly presentCommentIds = new Map<number, Set<string>>();

  /** Overwrite: comment ids a pull request the target still holds has. */
  private async presentComments(target: number): Promise<Set<string>> {
    let ids = this.presentCommentIds.get(target);
    if (!ids) {
      ids = new Set((await this.api.activities(this.repo, target)).map((a) => String(obj(a, 'comment')['id'])).filter((id) => id !== 'undefined'));
      this.presentCommentIds.set(target, ids);
    }
    return ids;
  }

  private async restoreComment(sourcePull: number, target: number, comment: BitbucketDcRecord, parent: number | null): Promise<boolean> {
    const id = String(comment['id']);
    const label = `#${sourcePull} comment ${id}`;
    const anchor = obj(comment, 'anchor');
    const text = withRestoreAttribution(this.remap(str(comment, 'text')), {
      author: userName(obj(comment, 'author')), createdAt: instant(num(comment, 'createdDate')), original: `${this.context.source.fullName} pull request ${label}`,
    }, this.steps.marker('review-comments', id));
    const ref = await this.steps.once('review-comments', id, async () => {
      const body: Record<string, unknown> = { text };
      if (parent !== null) body['parent'] = { id: parent };
      else if (str(anchor, 'path')) {
        body['anchor'] = {
          path: str(anchor, 'path'), ...(num(anchor, 'line') !== null ? { line: num(anchor, 'line') } : {}), lineType: str(anchor, 'lineType') ?? 'ADDED', fileType: str(anchor, 'fileType') ?? 'TO',
          diffType: str(anchor, 'diffType') ?? 'EFFECTIVE',
        };
      }
      const created = await this.api.createComment(this.repo, target, body);
      return { targetId: String(created['id']) };
    }, () => this.findComment(target, id), { kind: 'review-comments', id: label });
    if (!ref) return false;
    this.comments.set(id, Number(ref.targetId));
    const replies = Array.isArray(comment['comments']) ? (comment['comments'] as BitbucketDcRecord[]) : [];
    for (const reply of replies) await this.restoreComment(sourcePull, target, reply, Number(ref.targetId));
    return true;
  }

  /** A comment (or reply) a killed attempt wrote: anywhere in the pull request's comment threads, by marker. */
  private async findComment(target: number, id: string): Promise<RestoredRef | null> {
    const search = (comments: BitbucketDcRecord[]): BitbucketDcRecord | undefined => {
      for (const c of comments) {
        if (this.steps.isMarked(c['text'], 'review-comments', id)) return c;
        const nested = search(Array.isArray(c['comments']) ? (c['comments'] as BitbucketDcRecord[]) : []);
        if (nested) return nested;
      }
      return undefined;
    };
    const found = search((await this.api.activities(this.repo, target)).map((a) => obj(a, 'comment')).filter((c) => c['id'] !== undefined));
    return found ? { targetId: String(found['id']) } : null;
  }
}
