/**
 * How the restore drills of GitLab, Bitbucket Cloud and Bitbucket Data Center compare two snapshots
 * (see `compareRestoredSnapshots` in ../support/snapshot-comparison): which refs each provider keeps
 * itself, which numbers texts reference, and what must be equal per metadata kind a restore writes.
 *
 * A merged pull request cannot be restored merged on any of them (they merge only by merging): it is
 * restored closed / declined, and its state is named in the report (`pull-request-state`), which the
 * drills check; the projections therefore compare a merged original as closed / declined.
 */
import type { Json, ProjectionContext, RestoreComparisonProfile } from '../support/snapshot-comparison';

const obj = (record: Json, field: string): Json => (typeof record[field] === 'object' && record[field] !== null ? (record[field] as Json) : {});
/** A ref pattern that matches nothing: bitbucket.org publishes no refs of its own. */
const NO_REF = /^(?!)(\d+)$/;

/** GitLab: merge request heads are `refs/merge-requests/N/head` (`!N`); issues are `#N`. */
export const GITLAB_RESTORE_PROFILE: RestoreComparisonProfile = {
  managedRef: /^refs\/merge-requests\/(\d+)\/(?:head|merge)$/,
  managedRefOf: (n) => `refs/merge-requests/${n}/head`,
  managedRefSigil: '!',
  numbered: [
    { kind: 'issues', sigil: '#', number: 'iid', id: 'id', text: 'description' },
    { kind: 'pull-requests', sigil: '!', number: 'iid', id: 'id', text: 'description' },
  ],
  project: {
    labels: (l) => [l['name'], l['color'], l['description'] ?? ''],
    milestones: (m) => [m['title'], m['state'], m['description'] ?? '', m['due_date'] ?? null],
    issues: (i, c) => [i['title'], c.text(i['description']), i['state'], i['labels'], obj(i, 'milestone')['title'] ?? null, i['confidential'] === true, c.number(i['iid'], '#')],
    'pull-requests': (m, c) => [
      m['title'], c.text(m['description']), closedWhenMerged(m['state'], c, 'merged', 'closed'), m['source_branch'], m['target_branch'], m['sha'], m['labels'],
      obj(m, 'milestone')['title'] ?? null, m['draft'] === true, c.number(m['iid'], '!'),
    ],
    'issue-comments': (n, c) => [c.number(n['noteable_iid'], '#'), c.text(n['body']), n['type'] ?? null],
    'review-comments': (n, c) => [c.number(n['noteable_iid'], '!'), c.text(n['body']), n['type'] ?? null, obj(n, 'position')['new_path'] ?? null, obj(n, 'position')['new_line'] ?? null],
    releases: (r, c) => [r['tag_name'], r['name'], c.text(r['description']), r['released_at']],
    // an upload is copied into the restored project (its URL changes, its bytes do not); other links keep their URL
    'release-assets': (l) => [l['release_tag_name'], l['name'], l['link_type'], l['repovault_upload'] === true ? `upload ${String(l['repovault_sha256'])}` : l['url']],
  },
};

/** Bitbucket Cloud: pull requests and issues are both `#N`; no refs of its own. */
export const BITBUCKET_CLOUD_RESTORE_PROFILE: RestoreComparisonProfile = {
  managedRef: NO_REF,
  managedRefOf: (n) => `refs/none/${n}`,
  numbered: [
    { kind: 'pull-requests', sigil: '#', number: 'id', id: 'id', text: 'description' },
    { kind: 'issues', sigil: '#', number: 'id', id: 'id', text: 'content.raw' },
  ],
  project: {
    'pull-requests': (p, c) => [
      p['title'], c.text(p['description']), closedWhenMerged(p['state'], c, 'MERGED', 'DECLINED'), p['draft'] === true, obj(obj(p, 'source'), 'branch')['name'],
      obj(obj(p, 'destination'), 'branch')['name'], c.number(p['id']),
    ],
    'review-comments': (m, c) => [c.number(obj(m, 'pullrequest')['id']), c.text(obj(m, 'content')['raw']), m['inline'] ?? null, m['parent'] !== undefined],
    // an issue's milestone, version and component cannot be written: the report names them (issue-milestones …)
    issues: (i, c) => [i['title'], c.text(obj(i, 'content')['raw']), i['state'], i['kind'], i['priority'], c.number(i['id'])],
    'issue-comments': (m, c) => [c.number(obj(m, 'issue')['id']), c.text(obj(m, 'content')['raw'])],
    'release-assets': (d) => [d['name'], d['size'], d['repovault_sha256'] ?? null],
  },
};

/** Bitbucket Data Center: pull request sources are `refs/pull-requests/N/from`; comments come as COMMENTED activities with their replies nested. */
export const BITBUCKET_DC_RESTORE_PROFILE: RestoreComparisonProfile = {
  managedRef: /^refs\/pull-requests\/(\d+)\/(?:from|merge)$/,
  managedRefOf: (n) => `refs/pull-requests/${n}/from`,
  numbered: [{ kind: 'pull-requests', sigil: '#', number: 'id', id: 'id', text: 'description' }],
  project: {
    'pull-requests': (p, c) => [
      p['title'], c.text(p['description']), closedWhenMerged(p['state'], c, 'MERGED', 'DECLINED'), obj(p, 'fromRef')['displayId'], obj(p, 'fromRef')['latestCommit'],
      obj(p, 'toRef')['displayId'], c.number(p['id']),
    ],
    'review-comments': (a, c) => [c.number(a['pull_request_id']), commentThread(obj(a, 'comment'), c)],
  },
};

function closedWhenMerged(state: unknown, c: ProjectionContext, merged: string, closed: string): unknown {
  return c.side === 'original' && state === merged ? closed : state;
}

function commentThread(comment: Json, c: ProjectionContext): unknown {
  const anchor = obj(comment, 'anchor');
  const replies = Array.isArray(comment['comments']) ? (comment['comments'] as Json[]) : [];
  return [c.text(comment['text']), anchor['path'] ?? null, anchor['line'] ?? null, replies.map((r) => commentThread(r, c))];
}
