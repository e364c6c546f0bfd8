import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  METADATA_KINDS, type MetadataCounts, type MetadataExportOptions, type MetadataKind, type MetadataSink, type ReleaseAssetRef, UpstreamUnavailableError,
} from '@repovault/providers/core';
import { type GitLabClient, gitlabId, type GitLabQuery } from './gitlab-client';

/** A GitLab REST object as GitLab sent it; the exporter reads a few fields and passes the rest through. */
export type GitLabRecord = Record<string, unknown>;

/**
 * Incremental export (`updatedSince`): only issues, merge requests (with all their notes) and
 * milestones updated at or after that instant, via GitLab's `updated_after`; releases and labels have
 * no such filter and are exported whole. With `repositoryActivityAt` (the project's
 * `last_activity_at` from the run's listing) a project without activity since then costs no call at
 * all — GitLab moves `last_activity_at` on pushes, issues, merge requests, notes and releases, but
 * at most once an hour, hence the hour of slack in `projectQuietSince`.
 */
export interface GitLabMetadataExportOptions extends MetadataExportOptions {
  /** labels and milestones of the project's groups too (`include_ancestor_groups`, `include_ancestors`) */
  includeGroupData?: boolean;
}

/** GitLab updates `last_activity_at` at most once per hour. */
export const LAST_ACTIVITY_GRANULARITY_MS = 3_600_000;

/** True when a project whose `last_activity_at` is `activityAt` cannot have changed since `since`. */
export function projectQuietSince(activityAt: string | null | undefined, since: string): boolean {
  if (!activityAt) return false;
  const activity = Date.parse(activityAt);
  return Number.isFinite(activity) && activity < Date.parse(since) - LAST_ACTIVITY_GRANULARITY_MS;
}

/** Fields the exporter adds to GitLab's JSON (GitLab's own fields are never changed). */
export const GITLAB_EXPORT_FIELDS = {
  /** on release assets (release links): the tag of their release (GitLab releases have no id) */
  releaseTag: 'release_tag_name',
  /** on release assets: whether the link is an upload GitLab itself serves (only those have bytes to save) */
  upload: 'repovault_upload',
  /** on release assets whose bytes were downloaded: what the sink stored */
  sha256: 'repovault_sha256',
  bytes: 'repovault_bytes',
} as const;

/**
 * How GitLab's data maps onto the export kinds:
 * - `issues`: `GET /projects/:id/issues?scope=all` (issues only; GitLab lists merge requests apart)
 * - `pull-requests`: merge requests, `GET /projects/:id/merge_requests?state=all`
 * - `issue-comments`: notes on issues, `GET /projects/:id/issues/:iid/notes` for each issue with notes
 * - `review-comments`: notes on merge requests (discussion and diff notes), `…/merge_requests/:iid/notes`
 * - `reviews`: none (GitLab has approvals, not reviews): always 0
 * - `releases`: `GET /projects/:id/releases`
 * - `release-assets`: each release's `assets.links`; bytes only for links that are GitLab uploads
 *   (`/uploads/:secret/:filename`, through `GET /projects/:id/uploads/:secret/:filename`)
 * - `labels`, `milestones`: the project's own, plus those of its groups with `includeGroupData`
 *   (organizations that include groups: issues and merge requests refer to group labels and
 *   milestones, so every project's snapshot holds the ones it can use)
 * Notes are fetched for issues and merge requests whose `user_notes_count` is above 0 (system notes
 * of items without user notes are not exported).
 */
export function exportGitLabMetadata(client: GitLabClient, projectFullPath: string, options: GitLabMetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
  return new GitLabMetadataExport(client, projectFullPath, options, sink).run();
}

/** A group's own labels and milestones. */
export async function exportGitLabGroupMetadata(client: GitLabClient, group: string, options: GitLabMetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
  const counts: MetadataCounts = {};
  const base = `groups/${gitlabId(group)}`;
  const what = `group ${group}`;
  if (options.kinds.includes('labels')) {
    counts.labels = 0;
    for await (const page of client.pages<GitLabRecord>(`${base}/labels`, { include_ancestor_groups: false, per_page: 100 }, what, options.signal)) {
      for (const label of page.items) {
        await sink.record('labels', label);
        counts.labels++;
      }
    }
  }
  if (options.kinds.includes('milestones')) {
    counts.milestones = 0;
    for await (const page of client.pages<GitLabRecord>(`${base}/milestones`, { updated_after: options.updatedSince, per_page: 100 }, what, options.signal)) {
      for (const milestone of page.items) {
        await sink.record('milestones', milestone);
        counts.milestones++;
      }
    }
  }
  return counts;
}

const PER_PAGE = 100;

class GitLabMetadataExport {
  private readonly wanted: ReadonlySet<MetadataKind>;
  private readonly counts: MetadataCounts = {};
  private readonly base: string;
  private readonly what: string;

  constructor(
    private readonly client: GitLabClient,
    private readonly projectFullPath: string,
    private readonly options: GitLabMetadataExportOptions,
    private readonly sink: MetadataSink,
  ) {
    if (!projectFullPath.includes('/')) throw new Error(`"${projectFullPath}" is not a GitLab project full path (group/…/project)`);
    const unknown = options.kinds.filter((k) => !(METADATA_KINDS as readonly string[]).includes(k));
    if (unknown.length > 0) throw new Error(`unknown metadata kinds: ${unknown.join(', ')}`);
    if (options.updatedSince !== undefined && Number.isNaN(Date.parse(options.updatedSince))) throw new Error(`updatedSince "${options.updatedSince}" is not a date`);
    this.wanted = new Set(options.kinds);
    for (const kind of METADATA_KINDS) if (this.wanted.has(kind)) this.counts[kind] = 0;
    this.base = `projects/${gitlabId(projectFullPath)}`;
    this.what = `project ${projectFullPath}`;
  }

  async run(): Promise<MetadataCounts> {
    const wants = (kind: MetadataKind): boolean => this.wanted.has(kind);
    if (this.options.updatedSince !== undefined && projectQuietSince(this.options.repositoryActivityAt, this.options.updatedSince)) return { ...this.counts };
    const since = { updated_after: this.options.updatedSince };
    if (wants('issues') || wants('issue-comments')) {
      await this.exportNoteables('issues', 'issue-comments', `${this.base}/issues`, { scope: 'all', ...since }, 'issues');
    }
    if (wants('pull-requests') || wants('review-comments')) {
      await this.exportNoteables('pull-requests', 'review-comments', `${this.base}/merge_requests`, { state: 'all', ...since }, 'merge_requests');
    }
    if (wants('releases') || wants('release-assets')) await this.exportReleases();
    const groups = this.options.includeGroupData === true;
    if (wants('labels')) await this.exportList('labels', `${this.base}/labels`, { include_ancestor_groups: groups });
    if (wants('milestones')) await this.exportList('milestones', `${this.base}/milestones`, { ...since, ...(groups ? { include_ancestors: true } : {}) });
    return { ...this.counts };
  }

  /** Issues or merge requests, oldest first, and (when asked) the notes of each one that has notes. */
  private async exportNoteables(kind: MetadataKind, notesKind: MetadataKind, endpoint: string, query: GitLabQuery, notesPath: 'issues' | 'merge_requests'): Promise<void> {
    for await (const page of this.client.pages<GitLabRecord>(endpoint, { ...query, order_by: 'created_at', sort: 'asc', per_page: PER_PAGE }, this.what, this.options.signal)) {
      for (const item of page.items) {
        if (this.wanted.has(kind)) await this.emit(kind, item);
        if (!this.wanted.has(notesKind) || Number(item['user_notes_count'] ?? 1) === 0) continue;
        const iid = requiredNumber(item, 'iid', notesPath === 'issues' ? 'issue' : 'merge request');
        await this.exportList(notesKind, `${this.base}/${notesPath}/${iid}/notes`, { sort: 'asc', order_by: 'created_at' });
      }
    }
  }

  /** Releases, and one release-assets record per link of each release (bytes of GitLab uploads when asked for). */
  private async exportReleases(): Promise<void> {
    for await (const page of this.client.pages<GitLabRecord>(`${this.base}/releases`, { order_by: 'created_at', sort: 'asc', per_page: PER_PAGE }, this.what, this.options.signal)) {
      for (const release of page.items) {
        if (this.wanted.has('releases')) await this.emit('releases', release);
        if (!this.wanted.has('release-assets')) continue;
        const tag = typeof release['tag_name'] === 'string' ? release['tag_name'] : '';
        const assets = (release['assets'] ?? {}) as { links?: GitLabRecord[] };
        for (const link of assets.links ?? []) await this.exportLink(tag, link);
      }
    }
  }

  private async exportLink(tag: string, link: GitLabRecord): Promise<void> {
    const upload = this.uploadOf(link);
    const record: GitLabRecord = { ...link, [GITLAB_EXPORT_FIELDS.releaseTag]: tag, [GITLAB_EXPORT_FIELDS.upload]: upload !== null };
    if (this.options.assets && upload) {
      this.options.signal?.throwIfAborted();
      const what = `upload ${upload.filename} of ${this.projectFullPath}`;
      const { body, headers } = await this.client.stream(`${this.base}/uploads/${upload.secret}/${encodeURIComponent(upload.filename)}`, what);
      const size = Number(headers['content-length'] ?? NaN);
      const ref: ReleaseAssetRef = {
        id: String(requiredNumber(link, 'id', 'release link')),
        releaseId: tag,
        name: typeof link['name'] === 'string' ? link['name'] : upload.filename,
        size: Number.isFinite(size) ? size : 0,
        contentType: headers['content-type'] ?? null,
      };
      const readable = body ? Readable.fromWeb(body as WebReadableStream<Uint8Array>) : Readable.from([]);
      try {
        const stored = await this.sink.asset(ref, readable);
        if (Number.isFinite(size) && stored.bytes !== size) throw new UpstreamUnavailableError(`${what}: received ${stored.bytes} bytes, GitLab announced ${size}`);
        record[GITLAB_EXPORT_FIELDS.sha256] = stored.sha256;
        record[GITLAB_EXPORT_FIELDS.bytes] = stored.bytes;
      } finally {
        readable.destroy(); // frees the connection when the sink stopped reading early
      }
    }
    await this.emit('release-assets', record);
  }

  /** A link to a file uploaded to this project (`…/<project>/uploads/<secret>/<file>` or `/-/project/<id>/uploads/…`) on this instance. */
  private uploadOf(link: GitLabRecord): { secret: string; filename: string } | null {
    const url = typeof link['url'] === 'string' ? link['url'] : '';
    if (!url.startsWith(`${this.client.instanceRoot}/`)) return null;
    const match = /\/uploads\/([0-9a-f]{32})\/([^/?#]+)$/.exec(url);
    if (!match) return null;
    const path = url.slice(this.client.instanceRoot.length + 1, match.index);
    if (path !== this.projectFullPath && !/^-\/project\/\d+$/.test(path)) return null;
    try {
      return { secret: match[1], filename: decodeURIComponent(match[2]) };
    } catch {
      return null;
    }
  }

  private async exportList(kind: MetadataKind, endpoint: string, query: GitLabQuery): Promise<void> {
    for await (const page of this.client.pages<GitLabRecord>(endpoint, { ...query, per_page: PER_PAGE }, this.what, this.options.signal)) {
      for (const record of page.items) await this.emit(kind, record);
    }
  }

  private async emit(kind: MetadataKind, record: GitLabRecord): Promise<void> {
    await this.sink.record(kind, record);
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
  }
}

function requiredNumber(record: GitLabRecord, field: string, what: string): number {
  const value = record[field];
  if (typeof value !== 'number') throw new UpstreamUnavailableError(`GitLab sent a ${what} without a numeric ${field}`);
  return value;
}
