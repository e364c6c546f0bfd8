import { etagFor, ifNoneMatchHits } from './github-etag';

describe('GitHub ETags', () => {
  const body = Buffer.from('[{"id":1}]');

  it('are weak, differ per identity and per body', () => {
    const alice = etagFor('github:user:1001', body, undefined);
    expect(alice).toMatch(/^W\/"[0-9a-f]{64}"$/);
    expect(etagFor('github:user:1002', body, undefined)).not.toBe(alice);
    expect(etagFor('github:user:1001', Buffer.from('[{"id":2}]'), undefined)).not.toBe(alice);
  });

  it('match If-None-Match lists, weak or strong, and *', () => {
    const tag = etagFor('id', body, undefined);
    expect(ifNoneMatchHits(`"x", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchHits(tag.slice(2), tag)).toBe(true);
    expect(ifNoneMatchHits('*', tag)).toBe(true);
    expect(ifNoneMatchHits('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
  });
});
