import { Readable } from 'node:stream';
import { RequestError } from '@octokit/request-error';
import { type ProviderFetch, UpstreamUnavailableError } from '@repovault/providers/core';
import { callGitHub, githubErrorFor } from '../github-errors';
import type { GitHubRecord } from '../github-metadata-export';
import { GITHUB_USER_AGENT, type PagingOctokit } from '../github-octokit';

const PER_PAGE = 100;

/** GitHub refused one write for a reason of its own (422 validation, 403 permission…), not a rate limit. */
export class GitHubWriteRefusedError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'GitHubWriteRefusedError';
  }
}

/** A GitHub answer's message and its validation errors, as one sentence. */
export function describeGitHubRefusal(error: RequestError): string {
  const data = (error.response?.data ?? {}) as { message?: string; errors?: Array<{ message?: string; field?: string; code?: string } | string> };
  const details = (data.errors ?? []).map((e) => (typeof e === 'string' ? e : e.message ?? [e.field, e.code].filter(Boolean).join(' '))).filter(Boolean);
  return `GitHub answered ${error.status}: ${data.message ?? error.message}${details.length ? ` (${details.join('; ')})` : ''}`;
}

/**
 * The REST calls a restore makes against one target repository. Rate limits, 401, 404 and 5xx become
 * the provider-neutral errors (the job retries or fails); other refusals are GitHubWriteRefusedError.
 */
export class GitHubRestoreApi {
  constructor(
    private readonly octokit: PagingOctokit,
    private readonly fetch: ProviderFetch,
    readonly owner: string,
    readonly repo: string,
  ) {}

  private get where(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo };
  }

  private async call<T>(fn: () => Promise<T>, what: string): Promise<T> {
    try {
      return await callGitHub(fn, what);
    } catch (error) {
      if (error instanceof RequestError) throw new GitHubWriteRefusedError(error.status, describeGitHubRefusal(error));
      throw error;
    }
  }

  private async all(url: string, params: Record<string, string | number>, what: string): Promise<GitHubRecord[]> {
    const out: GitHubRecord[] = [];
    const iterator = this.octokit.paginate.iterator<GitHubRecord>({ method: 'GET', url, ...this.where, ...params, per_page: PER_PAGE })[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.call(() => iterator.next(), what);
      if (next.done) return out;
      out.push(...next.value.data);
    }
  }

  // labels

  labels(): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/labels', {}, 'labels');
  }

  async createLabel(label: { name: string; color: string; description: string }): Promise<void> {
    await this.call(() => this.octokit.request('POST /repos/{owner}/{repo}/labels', { ...this.where, ...label }), `label ${label.name}`);
  }

  async updateLabel(name: string, label: { color: string; description: string }): Promise<void> {
    await this.call(() => this.octokit.request('PATCH /repos/{owner}/{repo}/labels/{name}', { ...this.where, name, ...label }), `label ${name}`);
  }

  async deleteLabel(name: string): Promise<void> {
    await this.call(() => this.octokit.request('DELETE /repos/{owner}/{repo}/labels/{name}', { ...this.where, name }), `label ${name}`);
  }

  // milestones

  milestones(): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/milestones', { state: 'all' }, 'milestones');
  }

  async createMilestone(milestone: { title: string; state: 'open' | 'closed'; description: string; due_on?: string }): Promise<GitHubRecord> {
    const response = await this.call(() => this.octokit.request('POST /repos/{owner}/{repo}/milestones', { ...this.where, ...milestone }), `milestone ${milestone.title}`);
    return response.data as GitHubRecord;
  }

  // issues, pull requests, comments

  /** The most recently created issues and pull requests (one page): where a write a crash interrupted shows up. */
  async newestIssues(): Promise<GitHubRecord[]> {
    const response = await this.call(
      () => this.octokit.request('GET /repos/{owner}/{repo}/issues', { ...this.where, state: 'all', sort: 'created', direction: 'desc', per_page: PER_PAGE }),
      'issues',
    );
    return response.data as GitHubRecord[];
  }

  /** Every issue and pull request of the target (overwrite: what is still there). */
  allIssues(): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/issues', { state: 'all' }, 'issues');
  }

  async createIssue(issue: { title: string; body: string; labels?: string[]; milestone?: number }): Promise<GitHubRecord> {
    const response = await this.call(() => this.octokit.request('POST /repos/{owner}/{repo}/issues', { ...this.where, ...issue }), 'an issue');
    return response.data as GitHubRecord;
  }

  async updateIssue(number: number, changes: { body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned' | 'reopened'; labels?: string[]; milestone?: number }): Promise<void> {
    await this.call(() => this.octokit.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', { ...this.where, issue_number: number, ...changes }), `#${number}`);
  }

  async createPull(pull: { title: string; body: string; head: string; base: string; draft: boolean }): Promise<GitHubRecord> {
    const response = await this.call(() => this.octokit.request('POST /repos/{owner}/{repo}/pulls', { ...this.where, ...pull }), 'a pull request');
    return response.data as GitHubRecord;
  }

  comments(issueNumber: number): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: issueNumber }, `comments of #${issueNumber}`);
  }

  allComments(): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/issues/comments', {}, 'comments');
  }

  async createComment(issueNumber: number, body: string): Promise<GitHubRecord> {
    const response = await this.call(
      () => this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.where, issue_number: issueNumber, body }),
      `a comment on #${issueNumber}`,
    );
    return response.data as GitHubRecord;
  }

  // releases

  releases(): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/releases', {}, 'releases');
  }

  async createRelease(release: { tag_name: string; target_commitish?: string; name: string; body: string; draft: boolean; prerelease: boolean }): Promise<GitHubRecord> {
    const response = await this.call(() => this.octokit.request('POST /repos/{owner}/{repo}/releases', { ...this.where, ...release }), `release ${release.tag_name}`);
    return response.data as GitHubRecord;
  }

  releaseAssets(releaseId: number): Promise<GitHubRecord[]> {
    return this.all('/repos/{owner}/{repo}/releases/{release_id}/assets', { release_id: releaseId }, `assets of release ${releaseId}`);
  }

  /**
   * Uploads an asset to the release's `upload_url` (GitHub.com: uploads.github.com; Enterprise
   * Server: /api/uploads), the bytes in the body with their content type.
   */
  async uploadAsset(uploadUrl: string, asset: { name: string; contentType: string; size: number; body: Readable }): Promise<GitHubRecord> {
    const url = new URL(uploadUrl.replace(/\{[^}]*\}$/, ''));
    url.searchParams.set('name', asset.name);
    const what = `release asset ${asset.name}`;
    let response: Response;
    try {
      response = await this.fetch(url.toString(), {
        method: 'POST',
        headers: { 'content-type': asset.contentType, 'content-length': String(asset.size), accept: 'application/vnd.github+json', 'user-agent': GITHUB_USER_AGENT },
        body: Readable.toWeb(asset.body) as ReadableStream<Uint8Array>,
        duplex: 'half',
        redirect: 'manual',
      } as RequestInit);
    } catch (error) {
      throw new UpstreamUnavailableError(`the upload of ${what} failed: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (response.status === 201) return JSON.parse(text) as GitHubRecord;
    let message = response.statusText;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw githubErrorFor(response.status, Object.fromEntries(response.headers), message, what) ?? new GitHubWriteRefusedError(response.status, `GitHub answered ${response.status} to the upload of ${what}: ${message}`);
  }
}
