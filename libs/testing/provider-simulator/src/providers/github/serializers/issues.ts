import type { IssueCommentRecord, IssueRecord, LabelRecord, MilestoneRecord, SimRepository } from '../../../core/world/world-model';
import { nodeId, userById } from './accounts';
import type { Json, SerializerContext } from './serializer-context';

export function label(ctx: SerializerContext, repo: SimRepository, record: LabelRecord): Json {
  return {
    id: record.id,
    node_id: nodeId('Label', record.id),
    url: `${ctx.api}/repos/${repo.owner.login}/${repo.name}/labels/${encodeURIComponent(record.name)}`,
    name: record.name,
    color: record.color,
    default: record.isDefault,
    description: record.description,
  };
}

export function milestone(ctx: SerializerContext, repo: SimRepository, record: MilestoneRecord): Json {
  const api = `${ctx.api}/repos/${repo.owner.login}/${repo.name}/milestones/${record.number}`;
  const related = repo.metadata.issues.filter((i) => i.milestoneNumber === record.number);
  return {
    url: api,
    html_url: `${ctx.web}/${repo.owner.login}/${repo.name}/milestone/${record.number}`,
    labels_url: `${api}/labels`,
    id: record.id,
    node_id: nodeId('Milestone', record.id),
    number: record.number,
    title: record.title,
    description: record.description,
    creator: userById(ctx, record.creatorId),
    open_issues: related.filter((i) => i.state === 'open').length,
    closed_issues: related.filter((i) => i.state === 'closed').length,
    state: record.state,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    due_on: record.dueOn,
    closed_at: record.closedAt,
  };
}

export function issue(ctx: SerializerContext, repo: SimRepository, record: IssueRecord): Json {
  const repoApi = `${ctx.api}/repos/${repo.owner.login}/${repo.name}`;
  const api = `${repoApi}/issues/${record.number}`;
  const htmlKind = record.pull ? 'pull' : 'issues';
  const body: Json = {
    url: api,
    repository_url: repoApi,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${ctx.web}/${repo.owner.login}/${repo.name}/${htmlKind}/${record.number}`,
    id: record.id,
    node_id: nodeId(record.pull ? 'PullRequest' : 'Issue', record.id),
    number: record.number,
    title: record.title,
    user: userById(ctx, record.authorId),
    labels: record.labelNames.flatMap((name) => {
      const found = repo.metadata.labels.find((l) => l.name === name);
      return found ? [label(ctx, repo, found)] : [];
    }),
    state: record.state,
    locked: false,
    assignee: record.assigneeIds.length > 0 ? userById(ctx, record.assigneeIds[0]) : null,
    assignees: record.assigneeIds.map((id) => userById(ctx, id)),
    milestone: milestoneOf(ctx, repo, record.milestoneNumber),
    comments: repo.metadata.issueComments.filter((c) => c.issueNumber === record.number).length,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    author_association: 'MEMBER',
    active_lock_reason: null,
    body: record.body,
    state_reason: record.state === 'closed' ? 'completed' : null,
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
  };
  if (record.pull) {
    body.draft = record.pull.draft;
    body.pull_request = {
      url: `${repoApi}/pulls/${record.number}`,
      html_url: `${ctx.web}/${repo.owner.login}/${repo.name}/pull/${record.number}`,
      diff_url: `${ctx.web}/${repo.owner.login}/${repo.name}/pull/${record.number}.diff`,
      patch_url: `${ctx.web}/${repo.owner.login}/${repo.name}/pull/${record.number}.patch`,
      merged_at: record.pull.mergedAt,
    };
  }
  return body;
}

export function milestoneOf(ctx: SerializerContext, repo: SimRepository, number: number | null): Json | null {
  const found = number === null ? undefined : repo.metadata.milestones.find((m) => m.number === number);
  return found ? milestone(ctx, repo, found) : null;
}

export function issueComment(ctx: SerializerContext, repo: SimRepository, record: IssueCommentRecord): Json {
  const repoApi = `${ctx.api}/repos/${repo.owner.login}/${repo.name}`;
  const parent = repo.metadata.issues.find((i) => i.number === record.issueNumber);
  const htmlKind = parent?.pull ? 'pull' : 'issues';
  return {
    url: `${repoApi}/issues/comments/${record.id}`,
    html_url: `${ctx.web}/${repo.owner.login}/${repo.name}/${htmlKind}/${record.issueNumber}#issuecomment-${record.id}`,
    issue_url: `${repoApi}/issues/${record.issueNumber}`,
    id: record.id,
    node_id: nodeId('IssueComment', record.id),
    user: userById(ctx, record.authorId),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    author_association: 'MEMBER',
    body: record.body,
    performed_via_github_app: null,
  };
}
