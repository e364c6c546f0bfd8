import type { AxiosInstance, AxiosResponse } from 'axios';
import type { AdapterTarget } from '@repovault/providers/core';
import { bitbucketDcMessage, bitbucketDcPages, createBitbucketDcHttp, expectOk, send, type BitbucketDcRecord } from '../bitbucket-dc-http';

/** Data Center refused one write for a reason about the item itself (400 validation, 409 conflict). */
export class BitbucketDcWriteRefusedError extends Error {
  constructor(readonly status: number, readonly exceptionName: string | null, message: string) {
    super(message);
    this.name = 'BitbucketDcWriteRefusedError';
  }
}

export function isBitbucketDcWriteRefusal(error: unknown): error is BitbucketDcWriteRefusedError {
  return error instanceof BitbucketDcWriteRefusedError;
}

/**
 * The credential is valid but may not do this: Data Center answers 401 with an
 * `AuthorisationException` for missing permissions (and 401 with another exception for a bad token).
 */
export class BitbucketDcPermissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BitbucketDcPermissionError';
  }
}

const ITEM_REFUSALS = new Set([400, 409]);

function exceptionOf(data: unknown): string | null {
  const errors = (data as { errors?: Array<{ exceptionName?: unknown }> } | undefined)?.errors;
  const name = Array.isArray(errors) ? errors[0]?.exceptionName : undefined;
  return typeof name === 'string' ? name : null;
}

export interface DcRepositoryRef {
  projectKey: string;
  slug: string;
}

/**
 * The REST calls a restore makes against Data Center. 401 for a missing permission becomes
 * BitbucketDcPermissionError, a 400/409 about one item BitbucketDcWriteRefusedError (with Data
 * Center's exception name), the rest the provider-neutral errors.
 */
export class BitbucketDcRestoreApi {
  private readonly http: AxiosInstance;

  constructor(target: AdapterTarget) {
    this.http = createBitbucketDcHttp(target);
  }

  private base(repo: DcRepositoryRef): string {
    return `/projects/${encodeURIComponent(repo.projectKey)}/repos/${encodeURIComponent(repo.slug)}`;
  }

  private checked<T>(response: AxiosResponse<T>, what: string): T {
    const exception = exceptionOf(response.data);
    if (response.status === 401 && exception !== null && /AuthorisationException$/.test(exception)) {
      throw new BitbucketDcPermissionError(`Bitbucket Data Center does not permit ${what}: ${bitbucketDcMessage(response.data)}`);
    }
    if (ITEM_REFUSALS.has(response.status)) throw new BitbucketDcWriteRefusedError(response.status, exception, `Bitbucket Data Center answered ${response.status} for ${what}: ${bitbucketDcMessage(response.data)}`);
    return expectOk(response, what).data;
  }

  private async write<T = BitbucketDcRecord>(method: 'post' | 'put', path: string, body: unknown, what: string, params?: Record<string, string | number>): Promise<T> {
    return this.checked(await send(() => this.http.request<T>({ method, url: path, data: body ?? {}, params, headers: { 'content-type': 'application/json' } })), what);
  }

  private async all(path: string, what: string, params: Record<string, string | number> = {}): Promise<BitbucketDcRecord[]> {
    const out: BitbucketDcRecord[] = [];
    for await (const page of bitbucketDcPages(this.http, path, params, what)) out.push(...page);
    return out;
  }

  // repositories

  async repository(repo: DcRepositoryRef): Promise<BitbucketDcRecord> {
    return expectOk(await send(() => this.http.get<BitbucketDcRecord>(this.base(repo))), `repository ${repo.projectKey}/${repo.slug}`).data;
  }

  /** The default branch, or null while the repository has none (nothing pushed yet). */
  async defaultBranch(repo: DcRepositoryRef): Promise<string | null> {
    const response = await send(() => this.http.get<BitbucketDcRecord>(`${this.base(repo)}/default-branch`));
    if (response.status === 404 || response.status === 204) return null;
    const branch = expectOk(response, `the default branch of ${repo.projectKey}/${repo.slug}`).data;
    return typeof branch['displayId'] === 'string' ? branch['displayId'] : null;
  }

  createRepository(projectKey: string, name: string): Promise<BitbucketDcRecord> {
    return this.write('post', `/projects/${encodeURIComponent(projectKey)}/repos`, { name, scmId: 'git' }, `a repository in ${projectKey}`);
  }

  async setDefaultBranch(repo: DcRepositoryRef, branch: string): Promise<void> {
    await this.write('put', `${this.base(repo)}/default-branch`, { id: `refs/heads/${branch}` }, `the default branch of ${repo.projectKey}/${repo.slug}`);
  }

  // pull requests

  pullRequests(repo: DcRepositoryRef): Promise<BitbucketDcRecord[]> {
    return this.all(`${this.base(repo)}/pull-requests`, 'pull requests', { state: 'ALL', order: 'NEWEST' });
  }

  async pullRequest(repo: DcRepositoryRef, id: number): Promise<BitbucketDcRecord> {
    return expectOk(await send(() => this.http.get<BitbucketDcRecord>(`${this.base(repo)}/pull-requests/${id}`)), `pull request ${id}`).data;
  }

  createPullRequest(repo: DcRepositoryRef, body: Record<string, unknown>): Promise<BitbucketDcRecord> {
    return this.write('post', `${this.base(repo)}/pull-requests`, body, 'a pull request');
  }

  updatePullRequest(repo: DcRepositoryRef, id: number, body: Record<string, unknown>): Promise<BitbucketDcRecord> {
    return this.write('put', `${this.base(repo)}/pull-requests/${id}`, body, `pull request ${id}`);
  }

  declinePullRequest(repo: DcRepositoryRef, id: number, version: number): Promise<BitbucketDcRecord> {
    return this.write('post', `${this.base(repo)}/pull-requests/${id}/decline`, {}, `pull request ${id}`, { version });
  }

  activities(repo: DcRepositoryRef, id: number): Promise<BitbucketDcRecord[]> {
    return this.all(`${this.base(repo)}/pull-requests/${id}/activities`, `activities of pull request ${id}`);
  }

  createComment(repo: DcRepositoryRef, id: number, body: Record<string, unknown>): Promise<BitbucketDcRecord> {
    return this.write('post', `${this.base(repo)}/pull-requests/${id}/comments`, body, `a comment on pull request ${id}`);
  }
}
