import type { AxiosInstance } from 'axios';
import { METADATA_KINDS, type MetadataCounts, type MetadataExportOptions, type MetadataKind, type MetadataSink, UpstreamUnavailableError } from '@repovault/providers/core';
import { bitbucketDcPages, type BitbucketDcRecord } from './bitbucket-dc-http';

/**
 * How RepoVault's metadata kinds map onto Data Center:
 * - `pull-requests`: `pull-requests?state=ALL` (Data Center lists only OPEN ones by default).
 * - `review-comments`: COMMENTED activities of each pull request (`…/pull-requests/{id}/activities`):
 *   conversation comments and inline ones (with `commentAnchor`), replies nested in `comment.comments`.
 * - `reviews`: review verdicts among the same activities: APPROVED, UNAPPROVED, REVIEWED (needs work)
 *   and REVIEW_FINISHED.
 * Every activity record gets `pull_request_id`. Other activities (OPENED, MERGED, DECLINED,
 * RESCOPED, UPDATED…) are not exported: the pull request record holds its state and dates.
 * - `issues`, `issue-comments`, `releases`, `release-assets`, `labels`, `milestones`: none (Data
 *   Center leaves issues to Jira and has no releases or downloads): 0. Tags are in the git mirror.
 * Data Center offers no "updated since" filter for pull requests: every export is complete.
 */
export const BITBUCKET_DC_METADATA_MAPPING: Readonly<Record<MetadataKind, string>> = {
  'pull-requests': 'pull-requests?state=ALL',
  'review-comments': 'activities: COMMENTED',
  reviews: 'activities: APPROVED, UNAPPROVED, REVIEWED, REVIEW_FINISHED',
  issues: 'none',
  'issue-comments': 'none',
  releases: 'none',
  'release-assets': 'none',
  labels: 'none',
  milestones: 'none',
};

/** Fields the exporter adds to Data Center's JSON. */
export const BITBUCKET_DC_EXPORT_FIELDS = { pullRequestId: 'pull_request_id' } as const;

const REVIEW_ACTIONS = new Set(['APPROVED', 'UNAPPROVED', 'REVIEWED', 'REVIEW_FINISHED']);

export async function exportBitbucketDcMetadata(http: AxiosInstance, fullName: string, options: MetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
  const parts = fullName.split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`"${fullName}" is not a Bitbucket Data Center repository full name (PROJECT/slug)`);
  const unknown = options.kinds.filter((k) => !(METADATA_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new Error(`unknown metadata kinds: ${unknown.join(', ')}`);
  const wanted = new Set(options.kinds);
  const counts: MetadataCounts = {};
  for (const kind of METADATA_KINDS) if (wanted.has(kind)) counts[kind] = 0;
  const emit = async (kind: MetadataKind, record: BitbucketDcRecord): Promise<void> => {
    await sink.record(kind, record);
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  if (!wanted.has('pull-requests') && !wanted.has('review-comments') && !wanted.has('reviews')) return counts;

  const base = `/projects/${encodeURIComponent(parts[0])}/repos/${encodeURIComponent(parts[1])}/pull-requests`;
  const ids: number[] = [];
  for await (const page of bitbucketDcPages(http, base, { state: 'ALL' }, `pull requests of ${fullName}`, options.signal)) {
    for (const pull of page) {
      if (typeof pull['id'] !== 'number') throw new UpstreamUnavailableError('Bitbucket Data Center sent a pull request without a numeric id');
      ids.push(pull['id']);
      if (wanted.has('pull-requests')) await emit('pull-requests', pull);
    }
  }
  if (!wanted.has('review-comments') && !wanted.has('reviews')) return counts;
  for (const id of ids) {
    for await (const page of bitbucketDcPages(http, `${base}/${id}/activities`, {}, `activities of pull request ${id} of ${fullName}`, options.signal)) {
      for (const activity of page) {
        const action = activity['action'];
        const record = { ...activity, [BITBUCKET_DC_EXPORT_FIELDS.pullRequestId]: id };
        if (action === 'COMMENTED' && wanted.has('review-comments')) await emit('review-comments', record);
        else if (typeof action === 'string' && REVIEW_ACTIONS.has(action) && wanted.has('reviews')) await emit('reviews', record);
      }
    }
  }
  return counts;
}
