import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  type AdapterTarget, CredentialRejectedError, type ProviderFetch, UpstreamNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError,
} from '@repovault/providers/core';
import { bitbucketDcBudgetFrom } from './bitbucket-dc-rate-limit';

export const BITBUCKET_DC_USER_AGENT = 'repovault';

/** axios's fetch adapter over the target's fetch (the transport seam): it hands over a URL or a Request, the seam takes a URL and an init. */
function fetchThroughSeam(fetch: ProviderFetch): (input: URL | Request | string, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    if (typeof input === 'string' || input instanceof URL) return fetch(String(input), init);
    const body = input.body;
    return fetch(input.url, {
      method: input.method,
      headers: new Headers(input.headers),
      body,
      signal: input.signal,
      redirect: init?.redirect ?? input.redirect,
      ...(body ? { duplex: 'half' } : {}),
    } as RequestInit);
  };
}

/** axios for one target: fetch adapter through the seam, no redirects followed, every status returned (mapped by `expectOk`). */
export function createBitbucketDcHttp(target: AdapterTarget): AxiosInstance {
  return axios.create({
    baseURL: target.apiBaseUrl.replace(/\/+$/, ''),
    adapter: 'fetch',
    env: { fetch: fetchThroughSeam(target.fetch) },
    maxRedirects: 0,
    validateStatus: () => true,
    headers: { accept: 'application/json', 'user-agent': BITBUCKET_DC_USER_AGENT },
  });
}

/** Runs an axios call; errors of the seam itself (claims, egress rules, aborts) come out as they were thrown. */
export async function send<T>(call: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
  try {
    return await call();
  } catch (error) {
    if (axios.isAxiosError(error)) {
      const cause = (error as { cause?: unknown }).cause;
      if (error.code === 'ERR_CANCELED') throw cause instanceof Error ? cause : error;
      if (cause instanceof Error && !axios.isAxiosError(cause) && !(cause.name === 'TypeError' && /fetch/i.test(cause.message))) throw cause;
      throw new UpstreamUnavailableError(`Bitbucket Data Center could not be reached: ${error.message}`);
    }
    throw error;
  }
}

export function headersOf(response: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  return out;
}

/** Data Center's error envelope `{ errors: [{ message, exceptionName }] }`. */
export function bitbucketDcMessage(data: unknown): string {
  const errors = (data as { errors?: Array<{ message?: unknown }> } | undefined)?.errors;
  if (!Array.isArray(errors)) return typeof data === 'string' ? data.slice(0, 200) : '';
  return errors.map((e) => (typeof e.message === 'string' ? e.message : '')).filter(Boolean).join('; ');
}

export function bitbucketDcErrorFor(response: AxiosResponse, what: string): Error | null {
  const { status } = response;
  if (status >= 200 && status < 300) return null;
  if (status === 401) return new CredentialRejectedError('Bitbucket Data Center rejected the credential (revoked, expired or mistyped; project and repository tokens work only as Bearer)');
  if (status === 404) return new UpstreamNotFoundError(what);
  if (status === 429) return new UpstreamRateLimitedError(bitbucketDcBudgetFrom(status, headersOf(response)).retryAfterMs ?? null, `Bitbucket Data Center rate-limited ${what}`);
  if (status >= 500) return new UpstreamUnavailableError(`Bitbucket Data Center answered ${status} for ${what}`);
  return new Error(`Bitbucket Data Center answered ${status} for ${what}: ${bitbucketDcMessage(response.data)}`);
}

export function expectOk<T>(response: AxiosResponse<T>, what: string): AxiosResponse<T> {
  const error = bitbucketDcErrorFor(response, what);
  if (error) throw error;
  return response;
}

/** A record as Data Center sent it; the adapter reads a few fields and passes the rest through. */
export type BitbucketDcRecord = Record<string, unknown>;

interface DcPage {
  values?: BitbucketDcRecord[];
  isLastPage?: boolean;
  nextPageStart?: number;
}

export const DC_PAGE_LIMIT = 100;

/** One page at a time with `start`/`limit`, stopping at `isLastPage` and continuing from `nextPageStart`. */
export async function* bitbucketDcPages(http: AxiosInstance, path: string, params: Record<string, string | number | undefined>, what: string, signal?: AbortSignal): AsyncGenerator<BitbucketDcRecord[]> {
  let start = 0;
  for (let pages = 0; ; pages++) {
    signal?.throwIfAborted();
    if (pages > 100_000) throw new UpstreamUnavailableError(`the pages of ${what} do not end`);
    const response = expectOk(await send(() => http.get<DcPage>(path, { params: { ...params, start, limit: DC_PAGE_LIMIT }, signal })), what);
    const body = response.data;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.values)) throw new UpstreamUnavailableError(`Bitbucket Data Center sent a page of ${what} without values`);
    yield body.values;
    if (body.isLastPage !== false) return;
    if (typeof body.nextPageStart !== 'number' || body.nextPageStart <= start) throw new UpstreamUnavailableError(`Bitbucket Data Center sent a page of ${what} without a usable nextPageStart`);
    start = body.nextPageStart;
  }
}
