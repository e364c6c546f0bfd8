/** Helpers for this provider's specs. */

export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export async function getJson<T>(url: string, authorization?: string): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url, { headers: authorization ? { authorization } : {}, redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface CloudPage<T> {
  values: T[];
  next?: string;
  page: number;
  pagelen: number;
  size: number;
}

/** Follows `next` from the first page to the last, as a client must. */
export async function walkCloudPages<T>(first: string, authorization: string): Promise<{ items: T[]; urls: string[] }> {
  const items: T[] = [];
  const urls: string[] = [];
  let url: string | undefined = first;
  while (url) {
    urls.push(url);
    const page: { status: number; body: CloudPage<T> } = await getJson<CloudPage<T>>(url, authorization);
    if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}`);
    items.push(...page.body.values);
    url = page.body.next;
    if (urls.length > 1000) throw new Error('pagination does not end');
  }
  return { items, urls };
}
