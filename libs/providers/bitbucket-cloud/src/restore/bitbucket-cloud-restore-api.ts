import type { AxiosInstance, AxiosResponse } from 'axios';
import type { Readable } from 'node:stream';
import { type AdapterTarget, multipartFileBody, UpstreamUnavailableError } from '@repovault/providers/core';
import { BITBUCKET_USER_AGENT, bitbucketCloudErrorFor, bitbucketCloudMessage, createBitbucketHttp, expectOk, send } from '../bitbucket-cloud-http';
import { bitbucketCloudPages, type BitbucketRecord, type QueryParams } from '../bitbucket-cloud-pages';

/** Bitbucket Cloud refused one write for a reason about the item itself (400 validation, 409, 422). */
export class BitbucketCloudWriteRefusedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'BitbucketCloudWriteRefusedError';
  }
}

export function isBitbucketCloudWriteRefusal(error: unknown): error is BitbucketCloudWriteRefusedError {
  return error instanceof BitbucketCloudWriteRefusedError;
}

const ITEM_REFUSALS = new Set([400, 409, 422]);
const ALL_PULL_REQUEST_STATES = ['OPEN', 'MERGED', 'DECLINED', 'SUPERSEDED'] as const;

/**
 * The REST calls a restore makes against one Bitbucket Cloud repository: 401, 403, 404, 429 and 5xx
 * become the provider-neutral (or Bitbucket's own 403) errors; a 400/409/422 about one item
 * BitbucketCloudWriteRefusedError.
 */
export class BitbucketCloudRestoreApi {
  private readonly http: AxiosInstance;

  constructor(private readonly target: AdapterTarget) {
    this.http = createBitbucketHttp(target);
  }

  private base(workspace: string, slug: string): string {
    return `/repositories/${encodeURIComponent(workspace)}/${encodeURIComponent(slug)}`;
  }

  private checked<T>(response: AxiosResponse<T>, what: string): T {
    if (ITEM_REFUSALS.has(response.status)) throw new BitbucketCloudWriteRefusedError(response.status, `Bitbucket Cloud answered ${response.status} for ${what}: ${bitbucketCloudMessage(response.data)}`);
    return expectOk(response, what).data;
  }

  private async write(method: 'post' | 'put', path: string, body: unknown, what: string): Promise<BitbucketRecord> {
    return this.checked(await send(() => this.http.request<BitbucketRecord>({ method, url: path, data: body ?? {}, headers: { 'content-type': 'application/json' } })), what);
  }

  private async all(path: string, params: QueryParams, what: string): Promise<BitbucketRecord[]> {
    const out: BitbucketRecord[] = [];
    for await (const page of bitbucketCloudPages(this.http, this.target.apiBaseUrl, path, params, what)) out.push(...page);
    return out;
  }

  private async first(path: string, params: QueryParams, what: string): Promise<BitbucketRecord[]> {
    const body = expectOk(await send(() => this.http.get<{ values?: BitbucketRecord[] }>(path, { params })), what).data;
    return body.values ?? [];
  }

  // repositories

  async repository(workspace: string, slug: string): Promise<BitbucketRecord> {
    return expectOk(await send(() => this.http.get<BitbucketRecord>(this.base(workspace, slug))), `repository ${workspace}/${slug}`).data;
  }

  createRepository(workspace: string, slug: string, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('post', this.base(workspace, slug), body, `repository ${workspace}/${slug}`);
  }

  updateRepository(workspace: string, slug: string, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('put', this.base(workspace, slug), body, `repository ${workspace}/${slug}`);
  }

  // pull requests

  pullRequests(workspace: string, slug: string): Promise<BitbucketRecord[]> {
    return this.all(`${this.base(workspace, slug)}/pullrequests`, { state: ALL_PULL_REQUEST_STATES, pagelen: 50 }, 'pull requests');
  }

  newestPullRequests(workspace: string, slug: string): Promise<BitbucketRecord[]> {
    return this.first(`${this.base(workspace, slug)}/pullrequests`, { state: ALL_PULL_REQUEST_STATES, pagelen: 50, sort: '-created_on' }, 'pull requests');
  }

  createPullRequest(workspace: string, slug: string, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('post', `${this.base(workspace, slug)}/pullrequests`, body, 'a pull request');
  }

  updatePullRequest(workspace: string, slug: string, id: number, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('put', `${this.base(workspace, slug)}/pullrequests/${id}`, body, `pull request #${id}`);
  }

  declinePullRequest(workspace: string, slug: string, id: number): Promise<BitbucketRecord> {
    return this.write('post', `${this.base(workspace, slug)}/pullrequests/${id}/decline`, {}, `pull request #${id}`);
  }

  pullRequestComments(workspace: string, slug: string, id: number): Promise<BitbucketRecord[]> {
    return this.all(`${this.base(workspace, slug)}/pullrequests/${id}/comments`, { pagelen: 100 }, `comments of pull request #${id}`);
  }

  createPullRequestComment(workspace: string, slug: string, id: number, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('post', `${this.base(workspace, slug)}/pullrequests/${id}/comments`, body, `a comment on pull request #${id}`);
  }

  // issues

  issues(workspace: string, slug: string): Promise<BitbucketRecord[]> {
    return this.all(`${this.base(workspace, slug)}/issues`, { pagelen: 100 }, 'issues');
  }

  newestIssues(workspace: string, slug: string): Promise<BitbucketRecord[]> {
    return this.first(`${this.base(workspace, slug)}/issues`, { pagelen: 100, sort: '-created_on' }, 'issues');
  }

  createIssue(workspace: string, slug: string, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('post', `${this.base(workspace, slug)}/issues`, body, 'an issue');
  }

  updateIssue(workspace: string, slug: string, id: number, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('put', `${this.base(workspace, slug)}/issues/${id}`, body, `issue #${id}`);
  }

  issueComments(workspace: string, slug: string, id: number): Promise<BitbucketRecord[]> {
    return this.all(`${this.base(workspace, slug)}/issues/${id}/comments`, { pagelen: 100 }, `comments of issue #${id}`);
  }

  createIssueComment(workspace: string, slug: string, id: number, body: Record<string, unknown>): Promise<BitbucketRecord> {
    return this.write('post', `${this.base(workspace, slug)}/issues/${id}/comments`, body, `a comment on issue #${id}`);
  }

  // downloads

  downloads(workspace: string, slug: string): Promise<BitbucketRecord[]> {
    return this.all(`${this.base(workspace, slug)}/downloads`, { pagelen: 100 }, 'downloads');
  }

  /** `POST …/downloads` with one multipart `files` field, the bytes streamed from the snapshot. */
  async uploadDownload(workspace: string, slug: string, file: { name: string; size: number | null; body: Readable }): Promise<void> {
    const url = `${this.target.apiBaseUrl.replace(/\/+$/, '')}${this.base(workspace, slug)}/downloads`;
    const what = `the upload of download ${file.name}`;
    const multipart = multipartFileBody('files', { ...file, contentType: null });
    const headers: Record<string, string> = { 'content-type': multipart.contentType, accept: 'application/json', 'user-agent': BITBUCKET_USER_AGENT };
    if (multipart.contentLength !== null) headers['content-length'] = String(multipart.contentLength);
    let response: Response;
    try {
      response = await this.target.fetch(url, { method: 'POST', headers, body: multipart.body, duplex: 'half', redirect: 'manual' } as RequestInit);
    } catch (error) {
      if (error instanceof Error && (error.name === 'AbortError' || error.name === 'EgressBlockedError' || error.name === 'RetryLaterError')) throw error;
      throw new UpstreamUnavailableError(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    if (response.status === 201 || response.status === 200) return;
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    if (ITEM_REFUSALS.has(response.status)) throw new BitbucketCloudWriteRefusedError(response.status, `Bitbucket Cloud answered ${response.status} for ${what}: ${bitbucketCloudMessage(data)}`);
    const answered = Object.fromEntries([...response.headers].map(([name, value]) => [name.toLowerCase(), value]));
    throw bitbucketCloudErrorFor(response.status, answered, data, what) ?? new UpstreamUnavailableError(`${what}: ${response.status}`);
  }
}
