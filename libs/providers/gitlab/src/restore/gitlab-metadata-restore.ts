import type { MetadataRestoreContext, MetadataRestoreResult } from '@repovault/providers/core';
import type { GitLabRecord } from '../gitlab-metadata-export';
import { GitLabNoteRestore } from './gitlab-note-restore';
import { GitLabNoteableRestore } from './gitlab-noteable-restore';
import { GitLabReleaseRestore } from './gitlab-release-restore';
import { GITLAB_UNWRITABLE_KINDS } from './gitlab-restore-capabilities';
import type { GitLabRestoreApi } from './gitlab-restore-api';
import { GitLabRestoreState, str } from './gitlab-restore-state';

/**
 * Writes a snapshot's GitLab metadata into the target project, in this order: project labels,
 * milestones (closed ones closed again), issues and merge requests (with their state, and their
 * texts' references fixed once every number is known), notes of both, releases and their links.
 * Every write goes through the ledger, so running it again after a crash writes nothing twice.
 */
export async function restoreGitLabMetadata(api: GitLabRestoreApi, context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
  const state = new GitLabRestoreState(api, context);
  if (state.steps.wants('labels')) await restoreLabels(state);
  if (state.steps.wants('milestones')) await restoreMilestones(state);
  const noteables = new GitLabNoteableRestore(state);
  await noteables.run();
  await new GitLabNoteRestore(state).run();
  await new GitLabReleaseRestore(state).run();
  state.steps.reportUnwritable(GITLAB_UNWRITABLE_KINDS);
  await context.progress.checkpoint();
  return { keepStagedRefs: noteables.keepStagedRefs };
}

/** Project labels, by name (GitLab's key for them: a label that exists is not written again). */
async function restoreLabels(state: GitLabRestoreState): Promise<void> {
  const { api, context, steps, projectId } = state;
  let existing = new Set((await api.labels(projectId)).map((l) => String(l['name'])));
  for (const label of await steps.collect<GitLabRecord>('labels')) {
    context.signal?.throwIfAborted();
    const name = str(label, 'name');
    if (!name) continue;
    if (existing.has(name)) {
      context.progress.restored('labels');
      continue;
    }
    const color = str(label, 'color') ?? '#6699cc';
    const done = await steps.once('labels', name, async () => {
      const created = await api.createLabel(projectId, { name, color: color.startsWith('#') ? color : `#${color}`, description: str(label, 'description') ?? '' });
      return { targetId: String(created['id'] ?? name) };
    }, async () => {
      existing = new Set((await api.labels(projectId)).map((l) => String(l['name'])));
      return existing.has(name) ? { targetId: name } : null;
    }, { kind: 'labels', id: name });
    if (done) context.progress.restored('labels');
  }
}

/** Milestones by title (unique per project), closed again when they were; source id → target id for issues. */
async function restoreMilestones(state: GitLabRestoreState): Promise<void> {
  const { api, context, steps, projectId } = state;
  const byTitle = async (): Promise<Map<string, GitLabRecord>> => new Map((await api.milestones(projectId)).map((m) => [String(m['title']), m]));
  let existing = await byTitle();
  const source = (await steps.collect<GitLabRecord>('milestones')).sort((a, b) => Number(a['iid'] ?? 0) - Number(b['iid'] ?? 0));
  for (const milestone of source) {
    context.signal?.throwIfAborted();
    const title = str(milestone, 'title');
    if (!title) continue;
    const sourceId = String(milestone['id'] ?? title);
    const present = existing.get(title);
    const ref = present
      ? { targetId: String(present['id']) }
      : await steps.once('milestones', sourceId, async () => {
          const due = str(milestone, 'due_date');
          const start = str(milestone, 'start_date');
          const created = await api.createMilestone(projectId, { title, description: str(milestone, 'description') ?? '', ...(due ? { due_date: due } : {}), ...(start ? { start_date: start } : {}) });
          return { targetId: String(created['id']), targetNumber: typeof created['iid'] === 'number' ? created['iid'] : null };
        }, async () => {
          existing = await byTitle();
          const found = existing.get(title);
          return found ? { targetId: String(found['id']) } : null;
        }, { kind: 'milestones', id: title });
    if (!ref) continue;
    state.milestones.set(sourceId, ref.targetId);
    if (milestone['state'] === 'closed' && present?.['state'] !== 'closed') {
      const closed = await steps.once('milestone-states', sourceId, async () => {
        await api.editMilestone(projectId, ref.targetId, { state_event: 'close' });
        return { targetId: ref.targetId };
      }, async () => null, { kind: 'milestones', id: title });
      if (!closed) continue;
    }
    context.progress.restored('milestones');
  }
}
