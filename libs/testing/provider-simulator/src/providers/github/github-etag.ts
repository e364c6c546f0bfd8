import { createHash } from 'node:crypto';

/**
 * Weak ETag over the identity and the body: GitHub's ETags differ per credential holder, so a client
 * must cache them per (identity, URL); any change in the body (a new comment, a push) changes it.
 */
export function etagFor(identity: string, body: Buffer, link: string | undefined): string {
  const hash = createHash('sha256').update(identity).update('\u0000').update(link ?? '').update('\u0000').update(body).digest('hex');
  return `W/"${hash}"`;
}

/** `If-None-Match` may list several tags or `*`; weak and strong forms compare equal (weak comparison). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const wanted = strip(etag);
  return header.split(',').some((candidate) => {
    const value = candidate.trim();
    return value === '*' || strip(value) === wanted;
  });
}

function strip(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}
