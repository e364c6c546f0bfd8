import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { AxiosInstance } from 'axios';
import {
  METADATA_KINDS, type MetadataCounts, type MetadataExportOptions, type MetadataKind, type MetadataSink, type ProviderFetch, type ReleaseAssetRef,
  UpstreamUnavailableError,
} from '@repovault/providers/core';
import { BITBUCKET_USER_AGENT, bitbucketCloudErrorFor, expectOk, send } from './bitbucket-cloud-http';
import { bitbucketCloudPages, type BitbucketRecord, type QueryParams, updatedSinceQuery } from './bitbucket-cloud-pages';

/**
 * Incremental export (`updatedSince`): pull requests and issues filtered with `q=updated_on>…` (a new
 * comment updates its pull request or issue; a repository's own `updated_on` moves only with pushes),
 * comments read only for those. Downloads have no such filter and are immutable files: they are read
 * by full exports only, which callers run regularly. With `repositoryHasIssues` from the run's
 * listing, a repository without an issue tracker costs one call (its pull requests) and no lookup.
 */
export type BitbucketCloudExportOptions = MetadataExportOptions;

/**
 * How RepoVault's metadata kinds map onto Bitbucket Cloud:
 * - `pull-requests`: `pullrequests?state=OPEN&state=MERGED&state=DECLINED&state=SUPERSEDED` (all states;
 *   Bitbucket lists only OPEN ones by default). Reviewers and approvals are inside each record
 *   (`reviewers`, `participants`).
 * - `review-comments`: every pull request comment, conversation and inline (`inline.path`), from
 *   `pullrequests/{id}/comments`; each names its pull request in `pullrequest.id`.
 * - `issues`, `issue-comments`: `issues` and `issues/{id}/comments`, when the repository's issue
 *   tracker is enabled (`has_issues`); none otherwise.
 * - `release-assets`: the repository's downloads (`downloads`), bytes from `downloads/{filename}`
 *   (a redirect to a storage host) when assets are asked for; `release_id` is empty.
 * - `reviews`, `releases`, `labels`, `milestones`: Bitbucket Cloud has none of these as such: 0.
 * With `updatedSince`, pull requests and issues are filtered with `q=updated_on>…`, and comments
 * are read only for those (a new comment updates its pull request or issue).
 */
export const BITBUCKET_CLOUD_METADATA_MAPPING: Readonly<Record<MetadataKind, string>> = {
  'pull-requests': 'pullrequests (all states)',
  'review-comments': 'pullrequests/{id}/comments (conversation and inline)',
  issues: 'issues (issue tracker enabled only)',
  'issue-comments': 'issues/{id}/comments',
  'release-assets': 'downloads',
  reviews: 'none (approvals are in pull requests: participants)',
  releases: 'none',
  labels: 'none',
  milestones: 'none',
};

/** Fields the exporter adds to Bitbucket's JSON (Bitbucket's own fields are never changed). */
export const BITBUCKET_CLOUD_EXPORT_FIELDS = { sha256: 'repovault_sha256', bytes: 'repovault_bytes', releaseId: 'release_id' } as const;

export interface BitbucketCloudExportTarget {
  http: AxiosInstance;
  fetch: ProviderFetch;
  apiBaseUrl: string;
}

const PULL_REQUEST_STATES = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] as const;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function exportBitbucketCloudMetadata(target: BitbucketCloudExportTarget, fullName: string, options: BitbucketCloudExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
  return new BitbucketCloudMetadataExport(target, fullName, options, sink).run();
}

class BitbucketCloudMetadataExport {
  private readonly wanted: ReadonlySet<MetadataKind>;
  private readonly counts: MetadataCounts = {};
  private readonly base: string;
  private readonly q: string | undefined;

  constructor(
    private readonly target: BitbucketCloudExportTarget,
    private readonly fullName: string,
    private readonly options: BitbucketCloudExportOptions,
    private readonly sink: MetadataSink,
  ) {
    const parts = fullName.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`"${fullName}" is not a Bitbucket Cloud repository full name (workspace/slug)`);
    this.base = `/repositories/${encodeURIComponent(parts[0])}/${encodeURIComponent(parts[1])}`;
    const unknown = options.kinds.filter((k) => !(METADATA_KINDS as readonly string[]).includes(k));
    if (unknown.length > 0) throw new Error(`unknown metadata kinds: ${unknown.join(', ')}`);
    this.wanted = new Set(options.kinds);
    for (const kind of METADATA_KINDS) if (this.wanted.has(kind)) this.counts[kind] = 0;
    this.q = updatedSinceQuery(options.updatedSince);
  }

  async run(): Promise<MetadataCounts> {
    if (this.wanted.has('pull-requests') || this.wanted.has('review-comments')) await this.pullRequests();
    if (this.wanted.has('issues') || this.wanted.has('issue-comments')) await this.issues();
    if (this.wanted.has('release-assets') && this.options.updatedSince === undefined) await this.downloads();
    return { ...this.counts };
  }

  private async pullRequests(): Promise<void> {
    const ids: number[] = [];
    for await (const page of this.pages(`${this.base}/pullrequests`, { state: PULL_REQUEST_STATES, pagelen: 50, q: this.q })) {
      for (const pull of page) {
        ids.push(requiredNumber(pull, 'id', 'pull request'));
        if (this.wanted.has('pull-requests')) await this.emit('pull-requests', pull);
      }
    }
    if (!this.wanted.has('review-comments')) return;
    for (const id of ids) {
      for await (const page of this.pages(`${this.base}/pullrequests/${id}/comments`, { pagelen: 100 })) for (const comment of page) await this.emit('review-comments', comment);
    }
  }

  private async issues(): Promise<void> {
    if (!(await this.hasIssueTracker())) return; // the issue tracker is disabled: nothing to export
    const ids: number[] = [];
    for await (const page of this.pages(`${this.base}/issues`, { pagelen: 100, q: this.q })) {
      for (const issue of page) {
        ids.push(requiredNumber(issue, 'id', 'issue'));
        if (this.wanted.has('issues')) await this.emit('issues', issue);
      }
    }
    if (!this.wanted.has('issue-comments')) return;
    for (const id of ids) {
      for await (const page of this.pages(`${this.base}/issues/${id}/comments`, { pagelen: 100 })) for (const comment of page) await this.emit('issue-comments', comment);
    }
  }

  /** From the run's listing when it said; otherwise asked (`has_issues` of the repository). */
  private async hasIssueTracker(): Promise<boolean> {
    const known = this.options.repositoryHasIssues;
    if (known === true || known === false) return known;
    const repo = expectOk(await send(() => this.target.http.get<BitbucketRecord>(this.base, { signal: this.options.signal })), `repository ${this.fullName}`).data;
    return repo.has_issues === true;
  }

  private async downloads(): Promise<void> {
    for await (const page of this.pages(`${this.base}/downloads`, { pagelen: 100 })) {
      for (const download of page) {
        const record: BitbucketRecord = { ...download, [BITBUCKET_CLOUD_EXPORT_FIELDS.releaseId]: '' };
        if (this.options.assets) {
          this.options.signal?.throwIfAborted();
          const name = typeof download.name === 'string' ? download.name : '';
          const ref: ReleaseAssetRef = { id: name, releaseId: '', name, size: typeof download.size === 'number' ? download.size : 0, contentType: null };
          const stored = (await this.sink.knownAsset?.(ref)) ?? (await this.downloadAsset(ref));
          record[BITBUCKET_CLOUD_EXPORT_FIELDS.sha256] = stored.sha256;
          record[BITBUCKET_CLOUD_EXPORT_FIELDS.bytes] = stored.bytes;
        }
        await this.emit('release-assets', record);
      }
    }
  }

  /**
   * A download's bytes: `GET …/downloads/{filename}` answers with a redirect to a storage host.
   * Every hop goes through the same fetch (the seam sees each target and gives the credential to
   * Bitbucket's own origins only); only https is followed from an https API.
   */
  private async downloadAsset(ref: ReleaseAssetRef): Promise<{ sha256: string; bytes: number }> {
    const what = `download ${ref.name} of ${this.fullName}`;
    const apiOrigin = new URL(this.target.apiBaseUrl).origin;
    let url = `${this.target.apiBaseUrl.replace(/\/+$/, '')}${this.base}/downloads/${encodeURIComponent(ref.name)}`;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const response = await this.target.fetch(url, { method: 'GET', headers: { accept: '*/*', 'user-agent': BITBUCKET_USER_AGENT }, redirect: 'manual', signal: this.options.signal });
      if (response.ok) {
        const readable = response.body ? Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) : Readable.from([]);
        try {
          const stored = await this.sink.asset(ref, readable);
          if (ref.size > 0 && stored.bytes !== ref.size) throw new UpstreamUnavailableError(`${what}: received ${stored.bytes} bytes, Bitbucket announced ${ref.size}`);
          return stored;
        } finally {
          readable.destroy();
        }
      }
      await response.body?.cancel();
      if (!REDIRECT_STATUSES.has(response.status)) {
        const sameHost = new URL(url).origin === apiOrigin;
        const mapped = sameHost ? bitbucketCloudErrorFor(response.status, Object.fromEntries(response.headers), undefined, what) : null;
        throw mapped ?? new UpstreamUnavailableError(`${what} from ${new URL(url).host} answered ${response.status}`);
      }
      const location = response.headers.get('location');
      if (!location) throw new UpstreamUnavailableError(`Bitbucket redirected ${what} without a location`);
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && (new URL(this.target.apiBaseUrl).protocol === 'https:' || next.protocol !== 'http:')) {
        throw new UpstreamUnavailableError(`refusing to follow ${what} to ${next.protocol}//${next.host}`);
      }
      url = next.toString();
    }
    throw new UpstreamUnavailableError(`${what} was redirected more than ${MAX_REDIRECTS} times`);
  }

  private pages(path: string, params: QueryParams): AsyncGenerator<BitbucketRecord[]> {
    return bitbucketCloudPages(this.target.http, this.target.apiBaseUrl, path, params, `${path.split('/').slice(-1)[0]} of ${this.fullName}`, this.options.signal);
  }

  private async emit(kind: MetadataKind, record: BitbucketRecord): Promise<void> {
    await this.sink.record(kind, record);
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
}

function requiredNumber(record: BitbucketRecord, field: string, what: string): number {
  const value = record[field];
  if (typeof value !== 'number') throw new UpstreamUnavailableError(`Bitbucket sent a ${what} without a numeric ${field}`);
  return value;
}
