import type { MetadataKind, RestoreCapabilities } from '@repovault/providers/core';

/** Kinds Data Center's API cannot write, with the reason the restore report gives. */
export const BITBUCKET_DC_UNWRITABLE_KINDS: Partial<Record<MetadataKind, string>> = {
  reviews: 'not restorable: approvals and "needs work" verdicts belong to each reviewer, and a token can give them only as its own user',
};

const PULL_REQUEST_SOURCE = /^refs\/pull-requests\/(\d+)\/from$/;

/** The staging branch of a pull request's source (`refs/pull-requests/N/from`): Data Center opens pull requests from branches. */
export function bitbucketDcStagingBranch(id: number): string {
  return `refs/heads/repovault-restore/pull-request-${id}`;
}

/** What a Bitbucket Data Center restore can write (Data Center has no wikis, issues or releases). */
export const BITBUCKET_DC_RESTORE_CAPABILITIES: RestoreCapabilities = {
  writable: ['pull-requests', 'review-comments'],
  unwritable: BITBUCKET_DC_UNWRITABLE_KINDS,
  wiki: false,
  lfs: true,
  // Data Center keeps refs/pull-requests/N/from (and /merge) itself and refuses pushes to them
  readOnlyRefPrefixes: ['refs/pull-requests/'],
  stagingRefFor: (ref) => {
    const match = PULL_REQUEST_SOURCE.exec(ref);
    return match ? bitbucketDcStagingBranch(Number(match[1])) : null;
  },
};
