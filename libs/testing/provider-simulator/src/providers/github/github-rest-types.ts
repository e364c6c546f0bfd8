import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from '../../core/http-io';
import type { RefCache } from '../../core/git/ref-cache';
import type { RepositoryStorage } from '../../core/world/empty-repository';
import type { World } from '../../core/world/world';
import type { GithubViewer } from './github-auth';
import type { GithubRateLimits, GithubResource } from './github-rate-limits';
import type { SerializerContext } from './serializers';

export interface RestContext {
  world: World;
  viewer: GithubViewer;
  params: Record<string, string>;
  /** The absolute request URL as the client sent it (with `/api/v3` when used). */
  url: URL;
  headers: IncomingHttpHeaders;
  ser: SerializerContext;
  refs: RefCache;
  limits: GithubRateLimits;
  /** The request body (empty for GET); writes parse it with `jsonBody`. */
  body: Buffer;
  /** Where repositories created through the API go, and the git that writes refs. */
  storage: RepositoryStorage;
  /** The simulator clock, in ms (scaled time). */
  nowMs(): number;
}

export type RestResult =
  | { kind: 'json'; status: number; body: unknown; headers?: HeaderMap }
  | { kind: 'list'; total: number; render(start: number, end: number): Promise<unknown[]> }
  | { kind: 'bytes'; body: Buffer; contentType: string; fileName: string }
  | { kind: 'empty'; status: number; headers?: HeaderMap };

export interface RestRoute {
  handler(ctx: RestContext): Promise<RestResult>;
  resource: GithubResource;
  /** Not charged and never a violation (`/rate_limit`). */
  free?: boolean;
  /** Creates content (an issue, a comment, a repository…): counts against the content-creation limits. */
  creates?: boolean;
  /** Value of `X-Accepted-OAuth-Scopes`. */
  acceptedScopes: string;
}

/** A paginated listing: only the requested page is rendered. */
export function list<T>(items: T[], render: (item: T) => unknown): RestResult {
  return { kind: 'list', total: items.length, render: async (start, end) => items.slice(start, end).map(render) };
}

export function listAsync<T>(items: T[], render: (page: T[]) => Promise<unknown[]>): RestResult {
  return { kind: 'list', total: items.length, render: (start, end) => render(items.slice(start, end)) };
}

export function json(body: unknown, status = 200): RestResult {
  return { kind: 'json', status, body };
}
