import { type RestoredRef, withRestoreAttribution } from '@repovault/providers/core';
import type { GitLabRecord } from '../gitlab-metadata-export';
import { GitLabWriteRefusedError } from './gitlab-restore-api';
import { type GitLabRestoreState, num, obj, str, username } from './gitlab-restore-state';

type NoteKind = 'issue-comments' | 'review-comments';

/**
 * Notes of issues (`issue-comments`) and merge requests (`review-comments`), in snapshot order, each
 * under the target item its parent was restored as. A diff note becomes a diff thread on the same
 * file and line of the restored merge request's diff; when GitLab refuses that position (the line is
 * not in the restored diff), it is written as a plain note and the lost anchor is reported. System
 * notes are GitLab's own and are not written.
 */
export class GitLabNoteRestore {
  /** target parent → its notes, read once (finding a note after a crash, overwrite presence) */
  private readonly targetNotes = new Map<string, GitLabRecord[]>();

  constructor(private readonly state: GitLabRestoreState) {}

  async run(): Promise<void> {
    for (const kind of ['issue-comments', 'review-comments'] as const) {
      if (!this.state.steps.wants(kind)) continue;
      let system = 0;
      for await (const note of this.state.context.metadata.records<GitLabRecord>(kind)) {
        this.state.context.signal?.throwIfAborted();
        if (note['system'] === true) system++;
        else await this.restoreNote(kind, note);
      }
      if (system > 0) this.state.context.progress.notRestored(kind, 'system notes are written by GitLab itself (state changes, mentions, commits): they are not restored', undefined, system);
    }
  }

  private parentOf(kind: NoteKind, note: GitLabRecord): { endpoint: 'issues' | 'merge_requests'; sourceIid: number; targetIid: number | null; sigil: '#' | '!' } {
    const sourceIid = num(note, 'noteable_iid') ?? 0;
    if (kind === 'issue-comments') return { endpoint: 'issues', sourceIid, targetIid: this.state.issues.get(sourceIid) ?? null, sigil: '#' };
    return { endpoint: 'merge_requests', sourceIid, targetIid: this.state.mergeRequests.get(sourceIid)?.iid ?? null, sigil: '!' };
  }

  private async restoreNote(kind: NoteKind, note: GitLabRecord): Promise<void> {
    const { state } = this;
    const { context, steps } = state;
    const id = String(note['id']);
    const parent = this.parentOf(kind, note);
    const where = `${context.source.fullName}${parent.sigil}${parent.sourceIid}`;
    if (parent.targetIid === null) {
      context.progress.notRestored(kind, `its ${parent.endpoint === 'issues' ? 'issue' : 'merge request'} was not restored`, `${where} note ${id}`);
      return;
    }
    const targetIid = parent.targetIid;
    if (state.overwrite && (await this.notesOf(parent.endpoint, targetIid)).some((n) => String(n['id']) === id)) {
      context.progress.restored(kind);
      return;
    }
    const text = state.remap(str(note, 'body'));
    const authorship = { author: username(note, 'author'), createdAt: str(note, 'created_at'), original: `${where} note ${id}` };
    const body = withRestoreAttribution(text, authorship, steps.marker(kind, id));
    const position = note['type'] === 'DiffNote' ? obj(note, 'position') : null;
    let anchorLost = false;
    const ref = await steps.once(kind, id, async () => {
      if (position && parent.endpoint === 'merge_requests') {
        const diffNote = await this.diffNote(targetIid, body, position);
        if (diffNote) return diffNote;
        anchorLost = true;
      }
      const plain = anchorLost ? withRestoreAttribution(`${anchorText(position ?? {})}${text}`, authorship, steps.marker(kind, id)) : body;
      const created = await state.api.createNote(state.projectId, parent.endpoint, targetIid, plain);
      return { targetId: String(created['id']) };
    }, () => this.findByMarker(parent.endpoint, targetIid, kind, id), { kind, id: `${where} note ${id}` });
    if (!ref) return;
    if (anchorLost) context.progress.notRestored('diff-positions', 'restored as a plain note: GitLab refused its diff position in the restored merge request', `${where} note ${id}`);
    context.progress.restored(kind);
  }

  /** The note as a thread on the same file and line of the target merge request's current diff; null when GitLab refuses that position. */
  private async diffNote(iid: number, body: string, position: GitLabRecord): Promise<RestoredRef | null> {
    const refs = await this.state.diffRefsOf(iid);
    if (!refs) return null;
    const line = (field: string): number | undefined => num(position, field) ?? undefined;
    try {
      const discussion = await this.state.api.createDiffDiscussion(this.state.projectId, iid, body, {
        position_type: 'text',
        base_sha: refs.base_sha,
        start_sha: refs.start_sha,
        head_sha: refs.head_sha,
        old_path: str(position, 'old_path') ?? str(position, 'new_path'),
        new_path: str(position, 'new_path') ?? str(position, 'old_path'),
        ...(line('new_line') !== undefined ? { new_line: line('new_line') } : {}),
        ...(line('old_line') !== undefined ? { old_line: line('old_line') } : {}),
      });
      const first = Array.isArray(discussion['notes']) ? ((discussion['notes'] as GitLabRecord[])[0] ?? {}) : {};
      return { targetId: String(first['id'] ?? discussion['id']) };
    } catch (error) {
      if (error instanceof GitLabWriteRefusedError && error.status === 400) return null;
      throw error;
    }
  }

  private async notesOf(endpoint: 'issues' | 'merge_requests', iid: number): Promise<GitLabRecord[]> {
    const key = `${endpoint}/${iid}`;
    let notes = this.targetNotes.get(key);
    if (!notes) {
      notes = await this.state.api.notes(this.state.projectId, endpoint, iid);
      this.targetNotes.set(key, notes);
    }
    return notes;
  }

  private async findByMarker(endpoint: 'issues' | 'merge_requests', iid: number, kind: NoteKind, id: string): Promise<RestoredRef | null> {
    const found = (await this.state.api.notes(this.state.projectId, endpoint, iid)).find((n) => this.state.steps.isMarked(n['body'], kind, id));
    return found ? { targetId: String(found['id']) } : null;
  }
}

/** The line a diff note was on, in front of its text when GitLab refused the anchor. */
function anchorText(position: GitLabRecord): string {
  const path = str(position, 'new_path') ?? str(position, 'old_path') ?? 'a file';
  const line = num(position, 'new_line') ?? num(position, 'old_line');
  return `> On \`${path}\`${line === null ? '' : ` line ${line}`}:\n\n`;
}
