import { type RestoredRef, withRestoreAttribution } from '@repovault/providers/core';
import type { GitLabRecord } from '../gitlab-metadata-export';
import { gitlabStagingBranch } from './gitlab-restore-capabilities';
import { diffRefsFrom, type GitLabRestoreState, num, obj, str, username } from './gitlab-restore-state';

type NoteableKind = 'issues' | 'pull-requests';

/** An issue or merge request of the snapshot, with what a restore needs of it. */
interface SourceNoteable {
  kind: NoteableKind;
  id: string;
  iid: number;
  title: string;
  description: string;
  state: 'opened' | 'closed' | 'merged' | 'locked';
  author: string | null;
  createdAt: string | null;
  labels: string[];
  confidential: boolean;
  milestone: { sourceId: string; group: boolean } | null;
  assigned: boolean;
  mergeRequest: { sourceBranch: string; targetBranch: string; sha: string | null } | null;
}

type Head = { branch: string } | { notRestorable: string };

function toSource(kind: NoteableKind, record: GitLabRecord): SourceNoteable {
  const milestone = obj(record, 'milestone');
  const state = str(record, 'state');
  return {
    kind,
    id: String(record['id']),
    iid: num(record, 'iid') ?? 0,
    title: str(record, 'title') ?? `${kind === 'issues' ? '#' : '!'}${String(record['iid'])}`,
    description: str(record, 'description') ?? '',
    state: state === 'closed' || state === 'merged' || state === 'locked' ? state : 'opened',
    author: username(record, 'author'),
    createdAt: str(record, 'created_at'),
    labels: Array.isArray(record['labels']) ? (record['labels'] as unknown[]).map((l) => (typeof l === 'string' ? l : str((l ?? {}) as GitLabRecord, 'name'))).filter((l): l is string => !!l) : [],
    confidential: record['confidential'] === true,
    milestone: milestone['id'] === undefined ? null : { sourceId: String(milestone['id']), group: milestone['group_id'] !== undefined && milestone['project_id'] === undefined },
    assigned: Array.isArray(record['assignees']) && record['assignees'].length > 0,
    mergeRequest: kind === 'pull-requests' ? { sourceBranch: str(record, 'source_branch') ?? '', targetBranch: str(record, 'target_branch') ?? '', sha: str(record, 'sha') } : null,
  };
}

/**
 * Issues, then merge requests, each in iid order, with their state; then the texts whose
 * references pointed at items created later are rewritten once more. Merged merge requests are
 * restored closed (GitLab merges only by merging); a merge request whose source branch no longer
 * points at its head is opened from the staged copy of `refs/merge-requests/N/head`.
 */
export class GitLabNoteableRestore {
  /** what each item's text was written with (texts remapped with the numbers known at the time) */
  private readonly written = new Map<SourceNoteable, string>();
  private readonly keep = new Set<string>();
  private assigned = 0;

  constructor(private readonly state: GitLabRestoreState) {}

  /** Staging branches that restored open merge requests still need (derived from the snapshot and the pushed refs only). */
  get keepStagedRefs(): string[] {
    return [...this.keep].sort();
  }

  async run(): Promise<void> {
    const { steps } = this.state;
    const issues = steps.wants('issues') ? (await steps.collect<GitLabRecord>('issues')).map((r) => toSource('issues', r)) : [];
    const mergeRequests = steps.wants('pull-requests') ? (await steps.collect<GitLabRecord>('pull-requests')).map((r) => toSource('pull-requests', r)) : [];
    const byIid = (a: SourceNoteable, b: SourceNoteable): number => a.iid - b.iid;
    for (const item of mergeRequests) {
      const head = this.headOf(item);
      if ('branch' in head && item.state === 'opened' && head.branch.startsWith('repovault-restore/')) this.keep.add(`refs/heads/${head.branch}`);
    }
    const present = await this.presentItems(issues.length > 0, mergeRequests.length > 0);
    for (const item of [...issues.sort(byIid), ...mergeRequests.sort(byIid)]) {
      this.state.context.signal?.throwIfAborted();
      const existing = present.get(`${item.kind} ${item.iid}@${item.createdAt ?? ''}`);
      if (existing) {
        this.remember(item, { targetId: String(existing['id']), targetNumber: num(existing, 'iid') }, existing);
        this.state.context.progress.restored(item.kind);
        continue;
      }
      await this.restoreItem(item);
    }
    await this.fixReferences([...issues, ...mergeRequests]);
    if (this.assigned > 0) {
      this.state.context.progress.notRestored('assignees', 'assignees are not restored: a restore assigns nobody (the original users may not be members of the target)', undefined, this.assigned);
    }
  }

  /** Overwrite: what the target still holds, by kind, iid and creation time. */
  private async presentItems(issues: boolean, mergeRequests: boolean): Promise<Map<string, GitLabRecord>> {
    const present = new Map<string, GitLabRecord>();
    if (!this.state.overwrite) return present;
    if (issues) for (const i of await this.state.api.noteables(this.state.projectId, 'issues')) present.set(`issues ${String(i['iid'])}@${String(i['created_at'])}`, i);
    if (mergeRequests) for (const m of await this.state.api.noteables(this.state.projectId, 'merge_requests')) present.set(`pull-requests ${String(m['iid'])}@${String(m['created_at'])}`, m);
    return present;
  }

  private headOf(item: SourceNoteable): Head {
    const mr = item.mergeRequest;
    if (!mr) return { notRestorable: 'it is no merge request' };
    const refs = this.state.context.targetRefs;
    if (!refs[`refs/heads/${mr.targetBranch}`]) return { notRestorable: `its target branch ${mr.targetBranch} is not in the target (git was not restored, or the snapshot lacks it)` };
    const own = refs[`refs/heads/${mr.sourceBranch}`];
    if (own && (mr.sha === null || own === mr.sha)) return { branch: mr.sourceBranch };
    const staged = this.state.context.stagedRefs.get(`refs/merge-requests/${item.iid}/head`) ?? (refs[gitlabStagingBranch(item.iid)] ? gitlabStagingBranch(item.iid) : null);
    if (staged) return { branch: staged.replace(/^refs\/heads\//, '') };
    if (own) return { branch: mr.sourceBranch };
    return { notRestorable: 'its head commits are not in the target (no source branch and no refs/merge-requests head)' };
  }

  private body(item: SourceNoteable): string {
    const sigil = item.kind === 'issues' ? '#' : '!';
    return withRestoreAttribution(this.state.remap(item.description), { author: item.author, createdAt: item.createdAt, original: `${this.state.context.source.fullName}${sigil}${item.iid}` }, this.state.steps.marker(item.kind, item.id));
  }

  private async restoreItem(item: SourceNoteable): Promise<void> {
    const { state } = this;
    const { steps, context } = state;
    const head = this.headOf(item);
    if (item.kind === 'pull-requests' && 'notRestorable' in head) {
      context.progress.notRestored('pull-requests', `not restorable: ${head.notRestorable}`, `!${item.iid}`);
      return;
    }
    const description = this.body(item);
    this.written.set(item, description);
    const endpoint = item.kind === 'issues' ? 'issues' : 'merge_requests';
    const fields: Record<string, unknown> = { title: item.title, description, ...this.labelsAndMilestone(item) };
    if (item.kind === 'issues' && item.confidential) fields['confidential'] = true;
    if (item.mergeRequest && 'branch' in head) Object.assign(fields, { source_branch: head.branch, target_branch: item.mergeRequest.targetBranch });
    let created: GitLabRecord | null = null;
    const ref = await steps.once(item.kind, item.id, async () => {
      created = await state.api.createNoteable(state.projectId, endpoint, fields);
      return { targetId: String(created['id']), targetNumber: num(created, 'iid') };
    }, () => this.findByMarker(item), { kind: item.kind, id: this.label(item) });
    if (!ref?.targetNumber) return;
    this.remember(item, ref, created);
    if (item.state !== 'opened') {
      const closed = await steps.once(item.kind === 'issues' ? 'issue-states' : 'pull-request-states', item.id, async () => {
        await state.api.editNoteable(state.projectId, endpoint, ref.targetNumber as number, { state_event: 'close' });
        return { targetId: String(ref.targetNumber) };
      }, async () => null, { kind: item.kind, id: this.label(item) });
      if (!closed) return;
    }
    if (item.state === 'merged') context.progress.notRestored('pull-request-state', 'restored closed: GitLab cannot mark a merge request merged without merging it', this.label(item));
    if (item.assigned) this.assigned++;
    context.progress.restored(item.kind);
  }

  private labelsAndMilestone(item: SourceNoteable): Record<string, unknown> {
    const fields: Record<string, unknown> = {};
    if (this.state.steps.wants('labels') && item.labels.length > 0) fields['labels'] = item.labels.join(',');
    if (item.milestone && this.state.steps.wants('milestones')) {
      const target = this.state.milestones.get(item.milestone.sourceId);
      if (target) fields['milestone_id'] = Number(target);
      else if (item.milestone.group) {
        this.state.context.progress.notRestored('milestone-assignments', 'the assignment to a group milestone is not restored (group milestones belong to the group, not to the project)', this.label(item));
      }
    }
    return fields;
  }

  private remember(item: SourceNoteable, ref: RestoredRef, record: GitLabRecord | null): void {
    if (!ref.targetNumber) return;
    if (item.kind === 'issues') this.state.issues.set(item.iid, ref.targetNumber);
    else this.state.mergeRequests.set(item.iid, { iid: ref.targetNumber, diffRefs: record ? diffRefsFrom(record) : null });
  }

  /** A write a killed attempt made: among the newest items of that kind (all of them, if need be), carrying this restore's marker. */
  private async findByMarker(item: SourceNoteable): Promise<RestoredRef | null> {
    const endpoint = item.kind === 'issues' ? 'issues' : 'merge_requests';
    const marked = (records: GitLabRecord[]): GitLabRecord | undefined => records.find((r) => this.state.steps.isMarked(r['description'], item.kind, item.id));
    const found = marked(await this.state.api.newestNoteables(this.state.projectId, endpoint)) ?? marked(await this.state.api.noteables(this.state.projectId, endpoint));
    return found ? { targetId: String(found['id']), targetNumber: num(found, 'iid') } : null;
  }

  /** Texts were written with the numbers known then: rewrite those whose references now map differently. */
  private async fixReferences(items: SourceNoteable[]): Promise<void> {
    const { state } = this;
    for (const item of items) {
      const written = this.written.get(item);
      const target = item.kind === 'issues' ? state.issues.get(item.iid) : state.mergeRequests.get(item.iid)?.iid;
      if (written === undefined || target === undefined) continue;
      const right = this.body(item);
      if (right === written) continue;
      await state.steps.once('text-fixups', `${item.kind}:${item.id}`, async () => {
        await state.api.editNoteable(state.projectId, item.kind === 'issues' ? 'issues' : 'merge_requests', target, { description: right });
        return { targetId: String(target) };
      }, async () => null, { kind: item.kind, id: this.label(item) });
    }
  }

  private label(item: SourceNoteable): string {
    return `${item.kind === 'issues' ? '#' : '!'}${item.iid}`;
  }
}
