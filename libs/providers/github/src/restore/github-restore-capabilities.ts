import type { MetadataKind, RestoreCapabilities } from '@repovault/providers/core';

/** Kinds GitHub's API cannot write for another author, with the reason the restore report gives. */
export const GITHUB_UNWRITABLE_KINDS: Partial<Record<MetadataKind, string>> = {
  reviews:
    "not restorable: a review's verdict (approved, changes requested) belongs to its reviewer, and GitHub lets a token submit reviews only as itself",
  'review-comments':
    'not restorable: review comments belong to a review of their author and are anchored to diff lines of the original review; GitHub lets a token create them only in its own reviews',
};

/** What a GitHub restore can write. */
export const GITHUB_RESTORE_CAPABILITIES: RestoreCapabilities = {
  writable: ['labels', 'milestones', 'issues', 'issue-comments', 'pull-requests', 'releases', 'release-assets'],
  unwritable: GITHUB_UNWRITABLE_KINDS,
  wiki: true,
  lfs: true,
  // GitHub keeps refs/pull/N/head (and /merge) itself and refuses pushes to them
  readOnlyRefPrefixes: ['refs/pull/'],
  stagingRefFor: (ref) => {
    const match = /^refs\/pull\/(\d+)\/head$/.exec(ref);
    return match ? `refs/heads/repovault-restore/pull-${match[1]}` : null;
  },
};
