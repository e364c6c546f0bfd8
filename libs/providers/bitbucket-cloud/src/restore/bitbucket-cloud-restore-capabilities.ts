import type { MetadataKind, RestoreCapabilities } from '@repovault/providers/core';

/** Kinds Bitbucket Cloud's API cannot write, with the reason the restore report gives. */
export const BITBUCKET_CLOUD_UNWRITABLE_KINDS: Partial<Record<MetadataKind, string>> = {
  reviews: 'not restorable: approvals and change requests belong to each reviewer, and a token can approve only as itself',
};

/** What a Bitbucket Cloud restore can write. */
export const BITBUCKET_CLOUD_RESTORE_CAPABILITIES: RestoreCapabilities = {
  writable: ['pull-requests', 'review-comments', 'issues', 'issue-comments', 'release-assets'],
  unwritable: BITBUCKET_CLOUD_UNWRITABLE_KINDS,
  wiki: true,
  lfs: true,
  // bitbucket.org publishes no refs of its own for pull requests: every ref of a mirror can be pushed
  readOnlyRefPrefixes: [],
};
