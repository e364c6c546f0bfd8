import type { HeaderMap } from '../../core/http-io';

export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;
/** GitLab stops counting above this: `x-total`, `x-total-pages` and the `last` link are left out. */
export const COUNT_LIMIT = 10_000;

function positive(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number.parseInt(value, 10);
  return n >= 1 ? n : undefined;
}

export function perPage(url: URL): number {
  return Math.min(MAX_PER_PAGE, positive(url.searchParams.get('per_page')) ?? DEFAULT_PER_PAGE);
}

function withParams(url: URL, params: Record<string, string>): string {
  const target = new URL(url.toString());
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return target.toString();
}

/**
 * GitLab's offset pagination: `page` (from 1) and `per_page` (default 20, at most 100), answered
 * with `x-page`, `x-per-page`, `x-prev-page`, `x-next-page` (empty when there is none), `x-total`,
 * `x-total-pages` and a `link` header (first, prev, next, last) of absolute URLs keeping every
 * other query parameter.
 */
export function offsetPage(total: number, url: URL): { start: number; end: number; headers: HeaderMap } {
  const size = perPage(url);
  const page = positive(url.searchParams.get('page')) ?? 1;
  const counted = total <= COUNT_LIMIT;
  const pages = Math.max(1, Math.ceil(total / size));
  const start = Math.min(total, (page - 1) * size);
  const end = Math.min(total, page * size);
  const next = end < total ? page + 1 : null;
  const prev = page > 1 ? Math.min(page - 1, pages) : null;
  const link = (n: number): string => withParams(url, { page: String(n), per_page: String(size) });
  const parts: string[] = [];
  if (prev !== null) parts.push(`<${link(prev)}>; rel="prev"`);
  if (next !== null) parts.push(`<${link(next)}>; rel="next"`);
  parts.push(`<${link(1)}>; rel="first"`);
  if (counted) parts.push(`<${link(pages)}>; rel="last"`);
  const headers: HeaderMap = {
    'x-page': page,
    'x-per-page': size,
    'x-prev-page': prev === null ? '' : prev,
    'x-next-page': next === null ? '' : next,
    link: parts.join(', '),
  };
  if (counted) {
    headers['x-total'] = total;
    headers['x-total-pages'] = pages;
  }
  return { start, end, headers };
}

/**
 * Keyset pagination ordered by id (`pagination=keyset&order_by=id&sort=asc|desc`): the page after
 * `id_after` (or before `id_before`), and a `link` with `rel="next"` only while more remain.
 */
export function keysetPage<T extends { id: number }>(items: readonly T[], url: URL): { page: T[]; headers: HeaderMap } {
  const size = perPage(url);
  const descending = url.searchParams.get('sort') === 'desc';
  const sorted = [...items].sort((a, b) => (descending ? b.id - a.id : a.id - b.id));
  const after = positive(url.searchParams.get('id_after'));
  const before = positive(url.searchParams.get('id_before'));
  const remaining = sorted.filter((item) => (descending ? before === undefined || item.id < before : after === undefined || item.id > after));
  const page = remaining.slice(0, size);
  const headers: HeaderMap = { 'x-per-page': size };
  if (remaining.length > size && page.length > 0) {
    const last = page[page.length - 1].id;
    const target = new URL(url.toString());
    target.searchParams.delete(descending ? 'id_after' : 'id_before');
    target.searchParams.set(descending ? 'id_before' : 'id_after', String(last));
    target.searchParams.set('per_page', String(size));
    headers.link = `<${target.toString()}>; rel="next"`;
  }
  return { page, headers };
}
