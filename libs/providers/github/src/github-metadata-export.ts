import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  METADATA_KINDS, type MetadataCounts, type MetadataExportOptions, type MetadataKind, type MetadataSink, type ProviderFetch,
  type ReleaseAssetRef, UpstreamUnavailableError,
} from '@repovault/providers/core';
import { callGitHub, githubErrorFor, isGitHubGone } from './github-errors';
import { GITHUB_USER_AGENT, type PagingOctokit } from './github-octokit';

/** A GitHub REST object as GitHub sent it; the exporter reads a few fields and passes the rest through. */
export type GitHubRecord = Record<string, unknown>;

/** What a GitHub metadata export talks to: Octokit for the API, the same fetch for redirect targets. */
export interface GitHubExportTarget {
  octokit: PagingOctokit;
  fetch: ProviderFetch;
  apiBaseUrl: string;
}

/** Fields the exporter adds to GitHub's JSON (GitHub's own fields are never changed). */
export const GITHUB_EXPORT_FIELDS = {
  /** on reviews: the pull request's number (GitHub's review only links to it by URL) */
  pullNumber: 'pull_number',
  /** on release assets: the release the asset belongs to */
  releaseId: 'release_id',
  /** on release assets whose bytes were downloaded: what the sink stored */
  sha256: 'repovault_sha256',
  bytes: 'repovault_bytes',
} as const;

const PER_PAGE = 100;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Exports a repository's metadata (see MetadataExporter), streaming every page to the sink as it arrives. */
export async function exportGitHubMetadata(
  target: GitHubExportTarget, repositoryFullName: string, options: MetadataExportOptions, sink: MetadataSink,
): Promise<MetadataCounts> {
  return new GitHubMetadataExport(target, repositoryFullName, options, sink).run();
}

class GitHubMetadataExport {
  private readonly owner: string;
  private readonly repo: string;
  private readonly wanted: ReadonlySet<MetadataKind>;
  private readonly counts: MetadataCounts = {};
  private readonly repository: string;

  constructor(
    private readonly target: GitHubExportTarget,
    repositoryFullName: string,
    private readonly options: MetadataExportOptions,
    private readonly sink: MetadataSink,
  ) {
    const parts = repositoryFullName.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error(`"${repositoryFullName}" is not a GitHub repository full name (owner/name)`);
    [this.owner, this.repo] = parts as [string, string];
    this.repository = `repository ${repositoryFullName}`;
    const unknown = options.kinds.filter((k) => !(METADATA_KINDS as readonly string[]).includes(k));
    if (unknown.length > 0) throw new Error(`unknown metadata kinds: ${unknown.join(', ')}`);
    this.wanted = new Set(options.kinds);
    for (const kind of METADATA_KINDS) if (this.wanted.has(kind)) this.counts[kind] = 0;
  }

  async run(): Promise<MetadataCounts> {
    const wants = (kind: MetadataKind): boolean => this.wanted.has(kind);
    if (wants('issues')) await this.exportIssues();
    if (wants('pull-requests') || wants('reviews')) {
      const pullNumbers = await this.exportPulls(wants('pull-requests'));
      if (wants('reviews')) for (const number of pullNumbers) await this.exportReviews(number);
    }
    if (wants('issue-comments')) await this.exportIssueComments();
    if (wants('review-comments')) await this.exportList('review-comments', '/repos/{owner}/{repo}/pulls/comments', {});
    if (wants('releases') || wants('release-assets')) await this.exportReleases();
    if (wants('labels')) await this.exportList('labels', '/repos/{owner}/{repo}/labels', {});
    if (wants('milestones')) await this.exportList('milestones', '/repos/{owner}/{repo}/milestones', { state: 'all' });
    return { ...this.counts };
  }

  /** GitHub lists pull requests among issues (they carry `pull_request`): only real issues are kept. */
  private async exportIssues(): Promise<void> {
    try {
      for await (const page of this.pages('/repos/{owner}/{repo}/issues', { state: 'all' }, this.repository)) {
        for (const issue of page) if (issue['pull_request'] === undefined || issue['pull_request'] === null) await this.emit('issues', issue);
      }
    } catch (error) {
      if (!isGitHubGone(error)) throw error; // issues disabled: none to export
    }
  }

  /** Pull requests (recorded when asked for); returns their numbers, which reviews need. */
  private async exportPulls(record: boolean): Promise<number[]> {
    const numbers: number[] = [];
    for await (const page of this.pages('/repos/{owner}/{repo}/pulls', { state: 'all' }, this.repository)) {
      for (const pull of page) {
        numbers.push(requiredNumber(pull, 'number', 'pull request'));
        if (record) await this.emit('pull-requests', pull);
      }
    }
    return numbers;
  }

  private async exportReviews(pullNumber: number): Promise<void> {
    const what = `pull request #${pullNumber} of ${this.owner}/${this.repo}`;
    for await (const page of this.pages('/repos/{owner}/{repo}/pulls/{pull_number}/reviews', { pull_number: pullNumber }, what)) {
      for (const review of page) await this.emit('reviews', { ...review, [GITHUB_EXPORT_FIELDS.pullNumber]: pullNumber });
    }
  }

  private async exportIssueComments(): Promise<void> {
    try {
      await this.exportList('issue-comments', '/repos/{owner}/{repo}/issues/comments', {});
    } catch (error) {
      if (!isGitHubGone(error)) throw error; // issues disabled
    }
  }

  /** Releases, and one release-assets record per asset of each release (bytes downloaded when asked for). */
  private async exportReleases(): Promise<void> {
    for await (const page of this.pages('/repos/{owner}/{repo}/releases', {}, this.repository)) {
      for (const release of page) {
        if (this.wanted.has('releases')) await this.emit('releases', release);
        if (!this.wanted.has('release-assets')) continue;
        const releaseId = requiredNumber(release, 'id', 'release');
        const assets = Array.isArray(release['assets']) ? (release['assets'] as GitHubRecord[]) : [];
        for (const asset of assets) await this.exportAsset(releaseId, asset);
      }
    }
  }

  private async exportAsset(releaseId: number, asset: GitHubRecord): Promise<void> {
    const record: GitHubRecord = { ...asset, [GITHUB_EXPORT_FIELDS.releaseId]: releaseId };
    if (this.options.assets) {
      this.options.signal?.throwIfAborted();
      const ref: ReleaseAssetRef = {
        id: String(requiredNumber(asset, 'id', 'release asset')),
        releaseId: String(releaseId),
        name: typeof asset['name'] === 'string' ? asset['name'] : '',
        size: typeof asset['size'] === 'number' ? asset['size'] : 0,
        contentType: typeof asset['content_type'] === 'string' ? asset['content_type'] : null,
      };
      const stored = (await this.sink.knownAsset?.(ref)) ?? (await this.downloadAsset(ref));
      record[GITHUB_EXPORT_FIELDS.sha256] = stored.sha256;
      record[GITHUB_EXPORT_FIELDS.bytes] = stored.bytes;
    }
    await this.emit('release-assets', record);
  }

  private async downloadAsset(ref: ReleaseAssetRef): Promise<{ sha256: string; bytes: number }> {
    const body = await this.openAsset(ref);
    const readable = body ? Readable.fromWeb(body) : Readable.from([]);
    try {
      const stored = await this.sink.asset(ref, readable);
      if (stored.bytes !== ref.size) {
        throw new UpstreamUnavailableError(`release asset ${ref.id} of ${this.owner}/${this.repo}: received ${stored.bytes} bytes, GitHub announced ${ref.size}`);
      }
      return stored;
    } finally {
      readable.destroy(); // frees the connection when the sink stopped reading early
    }
  }

  /**
   * The asset's bytes. GitHub answers 200 with them or 302 to a download host: redirects are followed
   * here, through the same fetch (so the transport seam sees every target), never with our own
   * Authorization (the adapter sets none; the download URL is signed).
   */
  private async openAsset(ref: ReleaseAssetRef): Promise<WebReadableStream<Uint8Array> | null> {
    const what = `release asset ${ref.id} of ${this.owner}/${this.repo}`;
    const first = await callGitHub(() => this.target.octokit.request('GET /repos/{owner}/{repo}/releases/assets/{asset_id}', {
      owner: this.owner,
      repo: this.repo,
      asset_id: Number(ref.id),
      headers: { accept: 'application/octet-stream' },
      request: { redirect: 'manual', parseSuccessResponseBody: false },
    }), what);
    const firstStatus: number = first.status;
    const firstBody = first.data as unknown as WebReadableStream<Uint8Array> | null;
    if (!REDIRECT_STATUSES.has(firstStatus)) return firstBody;
    await firstBody?.cancel();

    const apiOrigin = new URL(this.target.apiBaseUrl).origin;
    let from = first.url || this.target.apiBaseUrl;
    let location = first.headers.location;
    for (let hop = 1; hop <= MAX_REDIRECTS; hop++) {
      const url = this.redirectTarget(location, from, what);
      const response = await this.target.fetch(url, {
        method: 'GET',
        headers: { accept: 'application/octet-stream', 'user-agent': GITHUB_USER_AGENT },
        redirect: 'manual',
      });
      const body = response.body as WebReadableStream<Uint8Array> | null;
      if (response.ok) return body;
      await body?.cancel();
      if (!REDIRECT_STATUSES.has(response.status)) {
        const sameHost = new URL(url).origin === apiOrigin;
        const mapped = sameHost ? githubErrorFor(response.status, Object.fromEntries(response.headers), response.statusText, what) : null;
        throw mapped ?? new UpstreamUnavailableError(`the download of ${what} from ${new URL(url).host} answered ${response.status}`);
      }
      from = url;
      location = response.headers.get('location') ?? undefined;
    }
    throw new UpstreamUnavailableError(`the download of ${what} was redirected more than ${MAX_REDIRECTS} times`);
  }

  private redirectTarget(location: string | undefined, from: string, what: string): string {
    if (!location) throw new UpstreamUnavailableError(`GitHub redirected the download of ${what} without a location`);
    const target = new URL(location, from);
    const secure = new URL(this.target.apiBaseUrl).protocol === 'https:';
    if (target.protocol !== 'https:' && (secure || target.protocol !== 'http:')) {
      throw new UpstreamUnavailableError(`refusing to follow the download of ${what} to ${target.protocol}//${target.host}`);
    }
    return target.toString();
  }

  private async exportList(kind: MetadataKind, url: string, params: Record<string, string>): Promise<void> {
    for await (const page of this.pages(url, params, this.repository)) {
      for (const record of page) await this.emit(kind, record);
    }
  }

  private async emit(kind: MetadataKind, record: GitHubRecord): Promise<void> {
    await this.sink.record(kind, record);
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }

  /** One page at a time, following GitHub's `link` header (Octokit's paginate), stopping between pages when aborted. */
  private async *pages(url: string, params: Record<string, string | number>, what: string): AsyncGenerator<GitHubRecord[]> {
    const pages = this.target.octokit.paginate.iterator<GitHubRecord>({
      method: 'GET', url, owner: this.owner, repo: this.repo, ...params, per_page: PER_PAGE,
    });
    const iterator = pages[Symbol.asyncIterator]();
    for (;;) {
      this.options.signal?.throwIfAborted();
      const next = await callGitHub(() => iterator.next(), what);
      if (next.done) return;
      yield next.value.data;
    }
  }
}

function requiredNumber(record: GitHubRecord, field: string, what: string): number {
  const value = record[field];
  if (typeof value !== 'number') throw new UpstreamUnavailableError(`GitHub sent a ${what} without a numeric ${field}`);
  return value;
}
