import type { IncludeSettings } from '@repovault/contracts/internal-api';
import type { MetadataKind } from '@repovault/providers/core';

/** The metadata kinds a plan's include settings ask for. */
export function metadataKindsOf(include: IncludeSettings): MetadataKind[] {
  const kinds = new Set<MetadataKind>();
  if (include.issues) kinds.add('issues');
  if (include.pullRequests) {
    kinds.add('pull-requests');
    kinds.add('reviews');
  }
  if (include.comments) {
    kinds.add('issue-comments');
    if (include.pullRequests) kinds.add('review-comments');
  }
  if (include.releases) {
    kinds.add('releases');
    kinds.add('release-assets');
  }
  if (include.labels) kinds.add('labels');
  if (include.milestones) kinds.add('milestones');
  return [...kinds];
}
