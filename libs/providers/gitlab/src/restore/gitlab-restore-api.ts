import type { Readable } from 'node:stream';
import { multipartFileBody, type ProviderFetch, UpstreamUnavailableError } from '@repovault/providers/core';
import { GITLAB_USER_AGENT, type GitLabClient, gitlabId, type GitLabQuery } from '../gitlab-client';
import { callGitLab, gitlabErrorFor, gitlabFailureOf } from '../gitlab-errors';
import type { GitLabRecord } from '../gitlab-metadata-export';

/** GitLab refused one write for a reason about the item itself (400 validation, 409 conflict, 422). */
export class GitLabWriteRefusedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'GitLabWriteRefusedError';
  }
}

export function isGitLabWriteRefusal(error: unknown): error is GitLabWriteRefusedError {
  return error instanceof GitLabWriteRefusedError;
}

const ITEM_REFUSALS = new Set([400, 409, 422]);
const PER_PAGE = 100;

/** What `POST /projects/:id/uploads` answers. */
export interface GitLabUpload {
  url: string;
  full_path?: string;
}

/**
 * The REST calls a restore makes against GitLab: 401, 403, 404, 429 and 5xx become the
 * provider-neutral (or GitLab's own 403) errors, a 400/409/422 about one item GitLabWriteRefusedError.
 */
export class GitLabRestoreApi {
  constructor(
    private readonly client: GitLabClient,
    private readonly fetch: ProviderFetch,
  ) {}

  /** The instance root (`https://gitlab.com`, `https://example.com/gitlab`): where upload paths are relative to. */
  get instanceRoot(): string {
    return this.client.instanceRoot;
  }

  private async send(method: 'post' | 'put', endpoint: string, body: Record<string, unknown>, what: string): Promise<GitLabRecord> {
    try {
      const response = await callGitLab(() => this.client.users.requester[method](endpoint, { body }), what);
      return (response.body ?? {}) as GitLabRecord;
    } catch (error) {
      const failure = gitlabFailureOf(error);
      if (failure && ITEM_REFUSALS.has(failure.status)) throw new GitLabWriteRefusedError(failure.status, `GitLab answered ${failure.status} for ${what}: ${failure.description}`);
      throw error;
    }
  }

  async all(endpoint: string, query: GitLabQuery, what: string): Promise<GitLabRecord[]> {
    const out: GitLabRecord[] = [];
    for await (const page of this.client.pages<GitLabRecord>(endpoint, { ...query, per_page: PER_PAGE }, what)) out.push(...page.items);
    return out;
  }

  /** One page, newest first: where a write a killed attempt made shows up. */
  async newest(endpoint: string, what: string): Promise<GitLabRecord[]> {
    return (await this.client.get<GitLabRecord[]>(endpoint, { order_by: 'created_at', sort: 'desc', per_page: PER_PAGE }, what)).body;
  }

  // projects

  async group(path: string): Promise<GitLabRecord> {
    return (await this.client.get<GitLabRecord>(`groups/${gitlabId(path)}`, { with_projects: false }, `group ${path}`)).body;
  }

  async project(path: string): Promise<GitLabRecord> {
    return (await this.client.get<GitLabRecord>(`projects/${gitlabId(path)}`, {}, `project ${path}`)).body;
  }

  createProject(project: Record<string, unknown>): Promise<GitLabRecord> {
    return this.send('post', 'projects', project, `a project in ${String(project['namespace_id'])}`);
  }

  editProject(projectId: string, changes: Record<string, unknown>): Promise<GitLabRecord> {
    return this.send('put', `projects/${gitlabId(projectId)}`, changes, `project ${projectId}`);
  }

  // labels and milestones

  labels(projectId: string): Promise<GitLabRecord[]> {
    return this.all(`projects/${gitlabId(projectId)}/labels`, { include_ancestor_groups: false }, 'labels');
  }

  createLabel(projectId: string, label: { name: string; color: string; description: string }): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/labels`, label, `label ${label.name}`);
  }

  milestones(projectId: string): Promise<GitLabRecord[]> {
    return this.all(`projects/${gitlabId(projectId)}/milestones`, {}, 'milestones');
  }

  createMilestone(projectId: string, milestone: { title: string; description: string; due_date?: string; start_date?: string }): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/milestones`, milestone, `milestone ${milestone.title}`);
  }

  editMilestone(projectId: string, milestoneId: string, changes: Record<string, unknown>): Promise<GitLabRecord> {
    return this.send('put', `projects/${gitlabId(projectId)}/milestones/${gitlabId(milestoneId)}`, changes, `milestone ${milestoneId}`);
  }

  // issues and merge requests

  /** `issues` or `merge_requests` of the project, every state. */
  noteables(projectId: string, kind: 'issues' | 'merge_requests'): Promise<GitLabRecord[]> {
    return this.all(`projects/${gitlabId(projectId)}/${kind}`, kind === 'issues' ? { scope: 'all', state: 'all' } : { state: 'all' }, kind === 'issues' ? 'issues' : 'merge requests');
  }

  newestNoteables(projectId: string, kind: 'issues' | 'merge_requests'): Promise<GitLabRecord[]> {
    return this.newest(`projects/${gitlabId(projectId)}/${kind}`, kind === 'issues' ? 'issues' : 'merge requests');
  }

  createNoteable(projectId: string, kind: 'issues' | 'merge_requests', fields: Record<string, unknown>): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/${kind}`, fields, kind === 'issues' ? 'an issue' : 'a merge request');
  }

  editNoteable(projectId: string, kind: 'issues' | 'merge_requests', iid: number, changes: Record<string, unknown>): Promise<GitLabRecord> {
    return this.send('put', `projects/${gitlabId(projectId)}/${kind}/${iid}`, changes, `${kind === 'issues' ? '#' : '!'}${iid}`);
  }

  notes(projectId: string, kind: 'issues' | 'merge_requests', iid: number): Promise<GitLabRecord[]> {
    return this.all(`projects/${gitlabId(projectId)}/${kind}/${iid}/notes`, { sort: 'asc', order_by: 'created_at' }, `notes of ${kind === 'issues' ? '#' : '!'}${iid}`);
  }

  createNote(projectId: string, kind: 'issues' | 'merge_requests', iid: number, body: string): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/${kind}/${iid}/notes`, { body }, `a note on ${kind === 'issues' ? '#' : '!'}${iid}`);
  }

  /** A diff thread on a merge request; answers the discussion (its first note is the diff note). */
  createDiffDiscussion(projectId: string, iid: number, body: string, position: Record<string, unknown>): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/merge_requests/${iid}/discussions`, { body, position }, `a diff note on !${iid}`);
  }

  // releases

  releases(projectId: string): Promise<GitLabRecord[]> {
    return this.all(`projects/${gitlabId(projectId)}/releases`, {}, 'releases');
  }

  createRelease(projectId: string, release: { tag_name: string; name: string; description: string; released_at?: string }): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/releases`, release, `release ${release.tag_name}`);
  }

  createReleaseLink(projectId: string, tag: string, link: { name: string; url: string; link_type?: string }): Promise<GitLabRecord> {
    return this.send('post', `projects/${gitlabId(projectId)}/releases/${gitlabId(tag)}/assets/links`, link, `link ${link.name} of release ${tag}`);
  }

  /** `POST /projects/:id/uploads` (multipart field `file`), the bytes streamed from the snapshot. */
  async upload(projectId: string, file: { name: string; contentType: string | null; size: number | null; body: Readable }): Promise<GitLabUpload> {
    const url = `${this.client.target.apiBaseUrl.replace(/\/+$/, '')}/projects/${gitlabId(projectId)}/uploads`;
    const what = `the upload of ${file.name}`;
    const multipart = multipartFileBody('file', file);
    const headers: Record<string, string> = { 'content-type': multipart.contentType, accept: 'application/json', 'user-agent': GITLAB_USER_AGENT };
    if (multipart.contentLength !== null) headers['content-length'] = String(multipart.contentLength);
    let response: Response;
    try {
      response = await this.fetch(url, { method: 'POST', headers, body: multipart.body, duplex: 'half', redirect: 'manual' } as RequestInit);
    } catch (error) {
      if (error instanceof Error && (error.name === 'AbortError' || error.name === 'EgressBlockedError' || error.name === 'RetryLaterError')) throw error;
      throw new UpstreamUnavailableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    if (response.status === 201) return JSON.parse(text) as GitLabUpload;
    const failure = { status: response.status, headers: response.headers, description: text.slice(0, 300) };
    throw gitlabErrorFor(failure, what) ?? new GitLabWriteRefusedError(response.status, `GitLab answered ${response.status} for ${what}: ${failure.description}`);
  }
}
