import { GitbeakerRequestError, GroupMembers, Groups, PersonalAccessTokens, Users } from '@gitbeaker/rest';
import { type AdapterTarget, UpstreamUnavailableError } from '@repovault/providers/core';
import { gitlabInstanceRoot } from './gitlab-api-base';
import { callGitLab } from './gitlab-errors';

/** gitbeaker's own types for the requester seam, taken from its constructors (the package that defines them is not a direct dependency). */
type ResourceOptions = NonNullable<ConstructorParameters<typeof Users>[0]>;
type RequesterFn = NonNullable<ResourceOptions['requesterFn']>;
type Requester = ReturnType<RequesterFn>;
type RequesterOptions = NonNullable<Parameters<Requester['get']>[1]>;
type Formatted = Awaited<ReturnType<Requester['get']>>;

export const GITLAB_USER_AGENT = 'repovault';

/** A query as GitLab reads it: snake_case names; lists as `name[]=…`. */
export type GitLabQuery = Record<string, string | number | boolean | readonly string[] | undefined>;

function snake(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function queryString(params: Record<string, unknown> | undefined): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) search.append(`${snake(name)}[]`, String(item));
    else search.append(snake(name), String(value));
  }
  return search.toString();
}

/** What GitLab said went wrong: `error`, `error_description` and `message` of a JSON body, or its text. */
function describe(text: string, contentType: string): string {
  if (!contentType.includes('json')) return text.trim();
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const parts = [body.error, body.error_description, body.message].map((p) => (typeof p === 'string' ? p : p === undefined ? undefined : JSON.stringify(p)));
    return parts.filter((p): p is string => p !== undefined).join(': ');
  } catch {
    return text.trim();
  }
}

/**
 * A gitbeaker requester whose every request goes through the target's fetch (which adds the
 * credential and pays for the call): no retries (gitbeaker's own retry 429s ten times, which would
 * ignore `Retry-After` budgets), no client-side rate limiter, no query timeout (the transport's
 * timeouts apply). Absolute URLs (a `link` header's next page) are fetched as they are, on the API's
 * origin only.
 */
export function gitlabRequesterFn(target: AdapterTarget): RequesterFn {
  const origin = new URL(target.apiBaseUrl).origin;
  return (resource) => {
    const send = async (method: string, endpoint: string, options: RequesterOptions = {}): Promise<Formatted> => {
      const base = resource.url.endsWith('/') ? resource.url : `${resource.url}/`;
      const url = new URL(endpoint, base);
      if (url.origin !== origin) throw new UpstreamUnavailableError(`refusing to send a GitLab request to ${url.origin}`);
      const query = queryString(options.searchParams);
      if (query) url.search = query;
      const headers = new Headers({ accept: 'application/json', 'user-agent': GITLAB_USER_AGENT, ...resource.headers });
      if (options.sudo !== undefined) headers.set('sudo', String(options.sudo));
      let body: string | undefined;
      if (options.body !== undefined && !(options.body instanceof FormData)) {
        body = JSON.stringify(options.body);
        headers.set('content-type', 'application/json');
      }
      const response = await target.fetch(url.toString(), { method, headers, body, signal: options.signal });
      const responseHeaders = Object.fromEntries(response.headers.entries());
      if (!response.ok) {
        const text = await response.text();
        const description = describe(text, response.headers.get('content-type') ?? '');
        throw new GitbeakerRequestError(description || `GitLab answered ${response.status}`, {
          cause: { description, request: new Request(url.toString(), { method }), response },
        });
      }
      if (options.asStream) return { body: response.body, headers: responseHeaders, status: response.status } as Formatted;
      const type = response.headers.get('content-type') ?? '';
      const text = response.status === 204 ? '' : await response.text();
      const parsed: unknown = type.includes('json') && text ? JSON.parse(text) : text;
      return { body: parsed, headers: responseHeaders, status: response.status } as Formatted;
    };
    // gitbeaker types each method generically over the body it expects; the body is whatever GitLab sent.
    const method = (name: string): Requester['get'] => ((endpoint: string, options?: RequesterOptions) => send(name, endpoint, options)) as Requester['get'];
    return { get: method('GET'), post: method('POST'), put: method('PUT'), patch: method('PATCH'), delete: method('DELETE') };
  };
}

export interface GitLabPage<T> {
  items: T[];
  headers: Record<string, string>;
}

function nextFromLink(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="next"/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

/** gitbeaker resources that share the transport seam, and a page-at-a-time reader for listings. */
export class GitLabClient {
  readonly users: InstanceType<typeof Users>;
  readonly tokens: InstanceType<typeof PersonalAccessTokens>;
  readonly groups: InstanceType<typeof Groups>;
  readonly groupMembers: InstanceType<typeof GroupMembers>;
  readonly instanceRoot: string;

  constructor(readonly target: AdapterTarget) {
    this.instanceRoot = gitlabInstanceRoot(target.apiBaseUrl);
    const options = { host: this.instanceRoot, requesterFn: gitlabRequesterFn(target), queryTimeout: null, rateLimits: {} };
    this.users = new Users(options);
    this.tokens = new PersonalAccessTokens(options);
    this.groups = new Groups(options);
    this.groupMembers = new GroupMembers(options);
  }

  /** One GET through gitbeaker's requester: `endpoint` relative to `/api/v4/`, or an absolute URL on the instance. */
  async get<T>(endpoint: string, query: GitLabQuery = {}, what = endpoint): Promise<{ body: T; headers: Record<string, string> }> {
    const response = await callGitLab(() => this.users.requester.get(endpoint, { searchParams: query }), what);
    return { body: response.body as T, headers: response.headers };
  }

  /** The response body as a stream (uploads). */
  async stream(endpoint: string, what: string): Promise<{ body: ReadableStream<Uint8Array> | null; headers: Record<string, string> }> {
    const response = await callGitLab(() => this.users.requester.get(endpoint, { asStream: true }), what);
    return { body: response.body as ReadableStream<Uint8Array> | null, headers: response.headers };
  }

  /**
   * A listing one page at a time: follows the `link` header's `rel="next"` (offset and keyset
   * pagination alike), or `x-next-page` when a response has no link, and stops between pages when
   * the signal is aborted.
   */
  async *pages<T>(endpoint: string, query: GitLabQuery, what: string, signal?: AbortSignal): AsyncGenerator<GitLabPage<T>> {
    let next: { endpoint: string; query: GitLabQuery } | undefined = { endpoint, query };
    let pages = 0;
    while (next) {
      signal?.throwIfAborted();
      const { body, headers }: { body: T[]; headers: Record<string, string> } = await this.get<T[]>(next.endpoint, next.query, what);
      if (!Array.isArray(body)) throw new UpstreamUnavailableError(`GitLab sent no list for ${what}`);
      yield { items: body, headers };
      const link = nextFromLink(headers['link']);
      const nextPage: string | undefined = headers['x-next-page'];
      next = link ? { endpoint: link, query: {} } : nextPage ? { endpoint, query: { ...query, page: nextPage } } : undefined;
      if (++pages > 100_000) throw new UpstreamUnavailableError(`the pagination of ${what} does not end`);
    }
  }
}

/** URL-encodes a full path (or id) for `:id` in GitLab's API. */
export function gitlabId(idOrPath: string | number): string {
  return encodeURIComponent(String(idOrPath));
}
