import type { IssueRecord, ReviewCommentRecord, ReviewRecord, SimRepository } from '../../../core/world/world-model';
import { nodeId, userById } from './accounts';
import { label, milestoneOf } from './issues';
import { repository } from './repositories';
import type { Json, SerializerContext } from './serializer-context';

export interface PullShas {
  head: string | null;
  base: string | null;
}

export function pullRequest(ctx: SerializerContext, repo: SimRepository, record: IssueRecord, shas: PullShas): Json {
  const pull = record.pull;
  if (!pull) throw new Error(`#${record.number} is not a pull request`);
  const repoApi = `${ctx.api}/repos/${repo.owner.login}/${repo.name}`;
  const api = `${repoApi}/pulls/${record.number}`;
  const html = `${ctx.web}/${repo.owner.login}/${repo.name}/pull/${record.number}`;
  const side = (ref: string, sha: string | null): Json => ({
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: repository(ctx, repo, null, false).owner,
    repo: repository(ctx, repo, null, false),
  });
  return {
    url: api,
    id: pull.id,
    node_id: nodeId('PullRequest', pull.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${repoApi}/issues/${record.number}`,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi}/pulls/comments{/number}`,
    comments_url: `${repoApi}/issues/${record.number}/comments`,
    statuses_url: `${repoApi}/statuses/${shas.head ?? ''}`,
    number: record.number,
    state: record.state,
    locked: false,
    title: record.title,
    user: userById(ctx, record.authorId),
    body: record.body,
    labels: record.labelNames.flatMap((name) => {
      const found = repo.metadata.labels.find((l) => l.name === name);
      return found ? [label(ctx, repo, found)] : [];
    }),
    milestone: milestoneOf(ctx, repo, record.milestoneNumber),
    active_lock_reason: null,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.merged ? shas.head : null,
    assignee: record.assigneeIds.length > 0 ? userById(ctx, record.assigneeIds[0]) : null,
    assignees: record.assigneeIds.map((id) => userById(ctx, id)),
    requested_reviewers: [],
    requested_teams: [],
    head: side(pull.headRef, shas.head),
    base: side(pull.baseRef, shas.base),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: `${repoApi}/issues/${record.number}` },
      comments: { href: `${repoApi}/issues/${record.number}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi}/statuses/${shas.head ?? ''}` },
    },
    author_association: 'MEMBER',
    auto_merge: null,
    draft: pull.draft,
  };
}

export function review(ctx: SerializerContext, repo: SimRepository, record: ReviewRecord, headSha: string | null): Json {
  const pullApi = `${ctx.api}/repos/${repo.owner.login}/${repo.name}/pulls/${record.pullNumber}`;
  const html = `${ctx.web}/${repo.owner.login}/${repo.name}/pull/${record.pullNumber}#pullrequestreview-${record.id}`;
  return {
    id: record.id,
    node_id: nodeId('PullRequestReview', record.id),
    user: userById(ctx, record.authorId),
    body: record.body,
    state: record.state,
    html_url: html,
    pull_request_url: pullApi,
    author_association: 'MEMBER',
    _links: { html: { href: html }, pull_request: { href: pullApi } },
    submitted_at: record.submittedAt,
    commit_id: headSha,
  };
}

export function reviewComment(ctx: SerializerContext, repo: SimRepository, record: ReviewCommentRecord, headSha: string | null): Json {
  const repoApi = `${ctx.api}/repos/${repo.owner.login}/${repo.name}`;
  const api = `${repoApi}/pulls/comments/${record.id}`;
  const html = `${ctx.web}/${repo.owner.login}/${repo.name}/pull/${record.pullNumber}#discussion_r${record.id}`;
  return {
    url: api,
    pull_request_review_id: record.reviewId === 0 ? null : record.reviewId,
    id: record.id,
    node_id: nodeId('PullRequestReviewComment', record.id),
    diff_hunk: `@@ -1,3 +1,3 @@\n # ${repo.owner.login}/${repo.name}`,
    path: record.path,
    position: record.line,
    original_position: record.line,
    commit_id: headSha,
    original_commit_id: headSha,
    user: userById(ctx, record.authorId),
    body: record.body,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    html_url: html,
    pull_request_url: `${repoApi}/pulls/${record.pullNumber}`,
    author_association: 'MEMBER',
    _links: { self: { href: api }, html: { href: html }, pull_request: { href: `${repoApi}/pulls/${record.pullNumber}` } },
    line: record.line,
    original_line: record.line,
    side: 'RIGHT',
    subject_type: 'line',
  };
}
