import type { IssueCommentRecord, IssueRecord, ReviewCommentRecord, ReviewRecord, SimRepository } from '../../core/world/world-model';

/**
 * What Data Center serves of a repository's metadata, and how many: pull requests and their
 * activities (opened, comments, review verdicts, merged/declined), and tags. No issues, releases or
 * downloads (Data Center leaves those to Jira and artifact stores).
 */
export interface BitbucketDcMetadataCounts {
  pullRequests: number;
  /** Every activity of every pull request. */
  activities: number;
  /** COMMENTED activities: conversation and inline (anchored) comments. */
  comments: number;
  /** Review verdicts: APPROVED, REVIEWED (needs work) and REVIEW_FINISHED activities. */
  reviews: number;
  tags: number;
}

export type DcActivity =
  | { kind: 'opened'; id: number; at: string; userId: number }
  | { kind: 'closed'; id: number; at: string; userId: number; merged: boolean }
  | { kind: 'comment'; id: number; at: string; comment: IssueCommentRecord | ReviewCommentRecord }
  | { kind: 'review'; id: number; at: string; review: ReviewRecord };

/** Activity ids must not collide: the world's id spaces (pulls, comments, reviews) are disjoint, closing gets its own. */
const CLOSED_ACTIVITY_OFFSET = 1_000_000_000;

export function pullRequestsOf(repo: SimRepository): IssueRecord[] {
  return repo.metadata.issues.filter((i) => i.pull !== null);
}

/** A pull request's activities, newest first as Data Center lists them. */
export function activitiesOf(repo: SimRepository, pull: IssueRecord): DcActivity[] {
  const out: DcActivity[] = [{ kind: 'opened', id: pull.pull?.id ?? pull.id, at: pull.createdAt, userId: pull.authorId }];
  // replies are no activities of their own: they are nested in the comment they answer
  for (const comment of repo.metadata.issueComments) if (comment.issueNumber === pull.number && !REPLY_PARENTS.has(comment)) out.push({ kind: 'comment', id: comment.id, at: comment.createdAt, comment });
  for (const comment of repo.metadata.reviewComments) if (comment.pullNumber === pull.number) out.push({ kind: 'comment', id: comment.id, at: comment.createdAt, comment });
  for (const review of repo.metadata.reviews) if (review.pullNumber === pull.number) out.push({ kind: 'review', id: review.id, at: review.submittedAt, review });
  if (pull.state === 'closed' && pull.closedAt) {
    out.push({ kind: 'closed', id: (pull.pull?.id ?? pull.id) + CLOSED_ACTIVITY_OFFSET, at: pull.closedAt, userId: pull.authorId, merged: pull.pull?.merged ?? false });
  }
  return out.sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : b.id - a.id));
}

export function bitbucketDcMetadataCounts(repo: SimRepository, refs: Record<string, string>): BitbucketDcMetadataCounts {
  const activities = pullRequestsOf(repo).flatMap((p) => activitiesOf(repo, p));
  return {
    pullRequests: pullRequestsOf(repo).length,
    activities: activities.length,
    comments: activities.filter((a) => a.kind === 'comment').length,
    reviews: activities.filter((a) => a.kind === 'review').length,
    tags: Object.keys(refs).filter((r) => r.startsWith('refs/tags/')).length,
  };
}

/** Replies (comments written with `parent.id`): record -> the id of the comment they answer. */
const REPLY_PARENTS = new WeakMap<IssueCommentRecord, number>();

export function setReplyParent(reply: IssueCommentRecord, parentId: number): void {
  REPLY_PARENTS.set(reply, parentId);
}

/** The replies to a comment of a pull request, oldest first. */
export function repliesOf(repo: SimRepository, commentId: number): IssueCommentRecord[] {
  return repo.metadata.issueComments.filter((c) => REPLY_PARENTS.get(c) === commentId).sort((a, b) => a.id - b.id);
}
