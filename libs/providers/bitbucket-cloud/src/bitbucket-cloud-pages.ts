import type { AxiosInstance } from 'axios';
import { UpstreamUnavailableError } from '@repovault/providers/core';
import { expectOk, send } from './bitbucket-cloud-http';

/** A record as Bitbucket sent it; the adapter reads a few fields and passes the rest through. */
export type BitbucketRecord = Record<string, unknown>;

export type QueryParams = Record<string, string | number | readonly string[] | undefined>;

interface Paginated {
  values?: BitbucketRecord[];
  next?: string;
}

/**
 * One page at a time: the first from `path` and `params`, every later one from the body's `next`
 * link, followed as it is (never built), on the API's own origin only.
 */
export async function* bitbucketCloudPages(http: AxiosInstance, apiBaseUrl: string, path: string, params: QueryParams, what: string, signal?: AbortSignal): AsyncGenerator<BitbucketRecord[]> {
  const origin = new URL(apiBaseUrl).origin;
  let next: string | undefined;
  let first = true;
  for (let pages = 0; first || next; pages++) {
    signal?.throwIfAborted();
    if (pages > 100_000) throw new UpstreamUnavailableError(`the pages of ${what} do not end`);
    if (next && new URL(next).origin !== origin) throw new UpstreamUnavailableError(`Bitbucket sent a next page of ${what} on another host (${new URL(next).host})`);
    const url = next;
    const response = expectOk(await send(() => (url ? http.get<Paginated>(url, { signal }) : http.get<Paginated>(path, { params, signal }))), what);
    first = false;
    const body = response.data;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.values)) throw new UpstreamUnavailableError(`Bitbucket sent a page of ${what} without values`);
    yield body.values;
    next = typeof body.next === 'string' && body.next ? body.next : undefined;
  }
}

/** Bitbucket's `q` date-time literal for "updated after". */
export function updatedSinceQuery(since: Date | string | undefined): string | undefined {
  if (since === undefined) return undefined;
  const at = typeof since === 'string' ? new Date(since) : since;
  if (Number.isNaN(at.getTime())) throw new Error(`updatedSince is not a date: ${String(since)}`);
  return `updated_on > ${at.toISOString()}`;
}
