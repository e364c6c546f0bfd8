/** Thin fetch wrappers for tests that talk to the simulator like a real client would. */

export function authHeaders(token?: string, extra: Record<string, string> = {}): Record<string, string> {
  return { accept: 'application/vnd.github+json', ...(token ? { authorization: `token ${token}` } : {}), ...extra };
}

export async function getJson<T>(url: string, token?: string, extra: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url, { headers: authHeaders(token, extra) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

/** The URL with `rel="next"` in a `link` header, if any. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const match = /<([^>]+)>;\s*rel="next"/.exec(part.trim());
    if (match) return match[1];
  }
  return undefined;
}

/** Follows `link: rel="next"` from the first page to the last, as a client must (never building page URLs). */
export async function walkPages<T>(firstUrl: string, token?: string): Promise<{ items: T[]; pages: number; urls: string[] }> {
  const items: T[] = [];
  const urls: string[] = [];
  let url: string | undefined = firstUrl;
  while (url) {
    urls.push(url);
    const page: { status: number; headers: Headers; body: T[] } = await getJson<T[]>(url, token);
    if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}`);
    items.push(...page.body);
    url = nextLink(page.headers.get('link'));
    if (urls.length > 1000) throw new Error('pagination does not end');
  }
  return { items, pages: urls.length, urls };
}
