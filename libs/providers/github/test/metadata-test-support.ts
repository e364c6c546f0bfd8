import type { MetadataCounts } from '@repovault/providers/core';
import type { MetadataCounts as SimMetadataCounts } from '@repovault/testing/provider-simulator';
import { sharedSpecPath } from '@repovault/testing/support';

export { MemorySink, type OpenApi, type RecordedRequest, recordingFetch, templateOf, undocumented } from '@repovault/testing/support';

/** The simulator's counts under the exporter's kind names. */
export function expectedCounts(c: SimMetadataCounts): Required<MetadataCounts> {
  return {
    issues: c.issues,
    'pull-requests': c.pulls,
    'issue-comments': c.issueComments,
    'review-comments': c.reviewComments,
    reviews: c.reviews,
    releases: c.releases,
    'release-assets': c.releaseAssets,
    labels: c.labels,
    milestones: c.milestones,
  };
}

/** `<repo>/../shared/specs/github-api.github.com.json`: GitHub's REST description, kept outside the repository. */
export function githubSpecPath(): string {
  return sharedSpecPath('github-api.github.com.json');
}
