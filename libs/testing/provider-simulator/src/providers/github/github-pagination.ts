export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

export interface PageRange {
  start: number;
  end: number;
  /** The `link` header, absent when everything fits on one page. */
  link: string | undefined;
}

/**
 * GitHub's offset pagination: `per_page` (default 30, capped at 100) and `page` (from 1), with a
 * `link` header of absolute URLs on the base the client used, keeping its other query parameters.
 */
export function pageRange(total: number, requestUrl: URL): PageRange {
  const perPage = clamp(parsePositive(requestUrl.searchParams.get('per_page')) ?? DEFAULT_PER_PAGE, 1, MAX_PER_PAGE);
  const page = parsePositive(requestUrl.searchParams.get('page')) ?? 1;
  const last = Math.max(1, Math.ceil(total / perPage));
  const start = Math.min(total, (page - 1) * perPage);
  const end = Math.min(total, page * perPage);
  if (last === 1 && page === 1) return { start, end, link: undefined };
  const url = (n: number): string => {
    const target = new URL(requestUrl.toString());
    target.searchParams.set('page', String(n));
    return target.toString();
  };
  const parts: string[] = [];
  if (page > 1) parts.push(`<${url(Math.min(page - 1, last))}>; rel="prev"`);
  if (page < last) parts.push(`<${url(page + 1)}>; rel="next"`, `<${url(last)}>; rel="last"`);
  if (page > 1) parts.push(`<${url(1)}>; rel="first"`);
  return { start, end, link: parts.join(', ') };
}

function parsePositive(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number.parseInt(value, 10);
  return n >= 1 ? n : undefined;
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
