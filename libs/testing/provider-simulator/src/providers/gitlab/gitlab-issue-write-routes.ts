import { randomBytes } from 'node:crypto';
import type { HttpRouter } from '../../core/http-router';
import type { IssueCommentRecord, IssueRecord, ReviewCommentRecord } from '../../core/world/world-model';
import type { GitlabProject } from './gitlab-model';
import { json, notFound, type GitlabResult, type GitlabRoute, type GitlabRouteContext } from './gitlab-rest-types';
import { mergeRequestRef } from './gitlab-seeder';
import * as ser from './gitlab-serializers';
import type { GitlabWriteParams } from './gitlab-write-params';
import {
  applyStateEvent, ensureLabels, findIssue, mergeRequestShas, nextNumber, now, paramError, projectMilestoneById, projectWrite, ROLE, viewerId,
} from './gitlab-write-support';

const DRAFT_PREFIX = /^\s*(\[draft\]|\(draft\)|draft:|draft -|\[wip\]|wip:)\s*/i;

/** Title, description, labels and milestone shared by issue and merge request writes. */
function applyCommonFields(ctx: GitlabRouteContext, project: GitlabProject, item: IssueRecord, params: GitlabWriteParams): GitlabResult | null {
  const title = params.optionalString('title');
  if (title !== undefined) {
    if (title.trim() === '') return paramError('title is empty');
    if (item.pull) {
      item.pull.draft = DRAFT_PREFIX.test(title);
      item.title = title.replace(DRAFT_PREFIX, '');
    } else {
      item.title = title;
    }
  }
  const description = params.optionalString('description');
  if (description !== undefined) item.body = description;
  const labels = params.labels('labels');
  if (labels !== undefined) item.labelNames = ensureLabels(ctx, project, labels);
  if (params.has('milestone_id')) {
    const id = params.optionalInteger('milestone_id');
    if (id === undefined || id === 0) {
      item.milestoneNumber = null;
    } else {
      const milestone = projectMilestoneById(project, id);
      if (!milestone) return json({ message: '404 Milestone Not Found' }, 404);
      item.milestoneNumber = milestone.number;
    }
  }
  const assignees = params.integers('assignee_ids');
  if (assignees !== undefined) item.assigneeIds = assignees.filter((id) => ctx.gl.user(id) !== undefined);
  return null;
}

function createIssue(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): GitlabResult {
  const title = params.string('title');
  const at = now(ctx);
  const issue: IssueRecord = {
    id: ctx.gl.world.ids.allocate('issue'),
    number: nextNumber(project),
    title,
    body: '',
    state: 'open',
    authorId: viewerId(ctx),
    assigneeIds: [],
    labelNames: [],
    milestoneNumber: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    pull: null,
  };
  const refused = applyCommonFields(ctx, project, issue, params);
  if (refused) return refused;
  project.repo.metadata.issues.push(issue);
  project.repo.updatedAt = at;
  return json(ser.issue(ctx.ser, project, issue), 201);
}

function editIssue(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): GitlabResult {
  const issue = findIssue(project, ctx.params.issue_iid, false);
  if (!issue) return notFound('Issue');
  const refused = applyCommonFields(ctx, project, issue, params) ?? applyStateEvent(ctx, issue, params.optionalString('state_event'));
  if (refused) return refused;
  issue.updatedAt = now(ctx);
  return json(ser.issue(ctx.ser, project, issue));
}

function addNote(ctx: GitlabRouteContext, project: GitlabProject, noteable: IssueRecord, body: string): IssueCommentRecord {
  const at = now(ctx);
  const note: IssueCommentRecord = { id: ctx.gl.world.ids.allocate('issueComment'), issueNumber: noteable.number, authorId: viewerId(ctx), body, createdAt: at, updatedAt: at };
  project.repo.metadata.issueComments.push(note);
  noteable.updatedAt = at;
  return note;
}

function createIssueNote(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): GitlabResult {
  const issue = findIssue(project, ctx.params.issue_iid, false);
  if (!issue) return notFound('Issue');
  const note = addNote(ctx, project, issue, params.string('body'));
  return json(ser.note(ctx.ser, project, issue, { kind: 'comment', record: note }, { head: null, base: null }), 201);
}

async function createMergeRequest(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): Promise<GitlabResult> {
  const source = params.string('source_branch');
  const target = params.string('target_branch');
  const title = params.string('title');
  const { gitDir } = project.repo;
  if (source === target) return json({ message: ["You can't use same project/branch for source and target"] }, 409);
  const sourceRef = await ctx.refs.ref(gitDir, `refs/heads/${source}`);
  if (!sourceRef) return json({ message: [`Source branch "${source}" does not exist`] }, 409);
  if (!(await ctx.refs.ref(gitDir, `refs/heads/${target}`))) return json({ message: [`Target branch "${target}" does not exist`] }, 409);
  const open = project.repo.metadata.issues.find((i) => i.state === 'open' && i.pull?.headRef === source && i.pull.baseRef === target);
  if (open) return json({ message: [`Another open merge request already exists for this source branch: !${open.number}`] }, 409);
  const at = now(ctx);
  const mr: IssueRecord = {
    id: ctx.gl.world.ids.allocate('issue'),
    number: nextNumber(project),
    title,
    body: '',
    state: 'open',
    authorId: viewerId(ctx),
    assigneeIds: [],
    labelNames: [],
    milestoneNumber: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    pull: { id: ctx.gl.world.ids.allocate('pull'), headRef: source, baseRef: target, merged: false, mergedAt: null, draft: false },
  };
  const refused = applyCommonFields(ctx, project, mr, params);
  if (refused) return refused;
  project.repo.metadata.issues.push(mr);
  project.repo.updatedAt = at;
  // GitLab publishes the source's tip as the merge request's head ref.
  await ctx.provider.git.run(['--git-dir', gitDir, 'update-ref', mergeRequestRef(mr.number), sourceRef.sha]);
  ctx.refs.invalidate(gitDir);
  return json(ser.mergeRequest(ctx.ser, project, mr, await mergeRequestShas(ctx, project, mr)), 201);
}

async function editMergeRequest(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): Promise<GitlabResult> {
  const mr = findIssue(project, ctx.params.merge_request_iid, true);
  if (!mr) return notFound('Merge Request');
  const event = params.optionalString('state_event');
  if (event === 'reopen' && mr.state === 'closed') {
    const open = project.repo.metadata.issues.find((i) => i !== mr && i.state === 'open' && i.pull?.headRef === mr.pull?.headRef && i.pull?.baseRef === mr.pull?.baseRef);
    if (open) return json({ message: [`Another open merge request already exists for this source branch: !${open.number}`] }, 409);
  }
  const refused = applyCommonFields(ctx, project, mr, params) ?? applyStateEvent(ctx, mr, event);
  if (refused) return refused;
  mr.updatedAt = now(ctx);
  return json(ser.mergeRequest(ctx.ser, project, mr, await mergeRequestShas(ctx, project, mr)));
}

async function createMergeRequestNote(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): Promise<GitlabResult> {
  const mr = findIssue(project, ctx.params.merge_request_iid, true);
  if (!mr) return notFound('Merge Request');
  const note = addNote(ctx, project, mr, params.string('body'));
  return json(ser.note(ctx.ser, project, mr, { kind: 'comment', record: note }, await mergeRequestShas(ctx, project, mr)), 201);
}

const SHA = /^[0-9a-f]{40}$/;

/**
 * `POST …/merge_requests/:iid/discussions`: a thread; with a `position` a diff note on a line of the
 * merge request's current diff (its `base_sha`, `start_sha` and `head_sha` must be the diff refs the
 * merge request shows, as GitLab checks them).
 */
async function createDiscussion(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): Promise<GitlabResult> {
  const mr = findIssue(project, ctx.params.merge_request_iid, true);
  if (!mr) return notFound('Merge Request');
  const body = params.string('body');
  const position = params.object('position');
  const shas = await mergeRequestShas(ctx, project, mr);
  const discussion = (note: unknown): GitlabResult => json({ id: randomBytes(20).toString('hex'), individual_note: false, notes: [note] }, 201);
  if (!position) return discussion(ser.note(ctx.ser, project, mr, { kind: 'comment', record: addNote(ctx, project, mr, body) }, shas));
  const invalid = (): GitlabResult => json({ message: '400 Bad request - Note {:line_code=>["can\'t be blank", "must be a valid line code"], :position=>["is incomplete"]}' }, 400);
  const text = (name: string): string => (typeof position[name] === 'string' ? (position[name] as string) : '');
  if (position['position_type'] !== 'text') return invalid();
  for (const name of ['base_sha', 'start_sha', 'head_sha']) if (!SHA.test(text(name))) return invalid();
  if (text('head_sha') !== shas.head || text('base_sha') !== shas.base || text('start_sha') !== shas.base) return invalid();
  const path = text('new_path') || text('old_path');
  const line = Number(position['new_line'] ?? position['old_line']);
  if (!path || !Number.isInteger(line) || line < 1) return invalid();
  const at = now(ctx);
  const record: ReviewCommentRecord = { id: ctx.gl.world.ids.allocate('reviewComment'), pullNumber: mr.number, reviewId: 0, authorId: viewerId(ctx), body, path, line, createdAt: at, updatedAt: at };
  project.repo.metadata.reviewComments.push(record);
  mr.updatedAt = at;
  return discussion(ser.note(ctx.ser, project, mr, { kind: 'diff', record }, shas));
}

/** Issues, merge requests and their notes and discussions. */
export function registerGitlabIssueWriteRoutes(router: HttpRouter<GitlabRoute>): void {
  projectWrite(router, 'POST', '/issues', ROLE.guest, createIssue);
  projectWrite(router, 'PUT', '/issues/{issue_iid}', ROLE.reporter, editIssue);
  projectWrite(router, 'POST', '/issues/{issue_iid}/notes', ROLE.guest, createIssueNote);
  projectWrite(router, 'POST', '/merge_requests', ROLE.developer, createMergeRequest);
  projectWrite(router, 'PUT', '/merge_requests/{merge_request_iid}', ROLE.developer, editMergeRequest);
  projectWrite(router, 'POST', '/merge_requests/{merge_request_iid}/notes', ROLE.guest, createMergeRequestNote);
  projectWrite(router, 'POST', '/merge_requests/{merge_request_iid}/discussions', ROLE.guest, createDiscussion);
}
