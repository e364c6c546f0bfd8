import type { MetadataKind, RestoreCapabilities } from '@repovault/providers/core';

/** Kinds GitLab's API cannot write, with the reason the restore report gives. */
export const GITLAB_UNWRITABLE_KINDS: Partial<Record<MetadataKind, string>> = {
  reviews: 'not restorable: GitLab has approvals, not reviews, and a token can approve a merge request only as itself',
};

const MERGE_REQUEST_HEAD = /^refs\/merge-requests\/(\d+)\/head$/;

/** The staging branch of a merge request's head (`refs/merge-requests/N/head`): GitLab opens merge requests from branches only. */
export function gitlabStagingBranch(iid: number): string {
  return `refs/heads/repovault-restore/merge-request-${iid}`;
}

/** What a GitLab restore can write. */
export const GITLAB_RESTORE_CAPABILITIES: RestoreCapabilities = {
  writable: ['labels', 'milestones', 'issues', 'issue-comments', 'pull-requests', 'review-comments', 'releases', 'release-assets'],
  unwritable: GITLAB_UNWRITABLE_KINDS,
  wiki: true,
  lfs: true,
  // GitLab keeps refs/merge-requests/N/head (and /merge) itself and refuses pushes to them
  readOnlyRefPrefixes: ['refs/merge-requests/'],
  stagingRefFor: (ref) => {
    const match = MERGE_REQUEST_HEAD.exec(ref);
    return match ? gitlabStagingBranch(Number(match[1])) : null;
  },
};
