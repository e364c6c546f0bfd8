import { SlidingWindowModel } from './sliding-window';

describe('SlidingWindowModel (Bitbucket Cloud rolling hour)', () => {
  const t0 = 1_000_000;

  it('refuses when the last window already holds the limit and frees room as entries age out', () => {
    const model = new SlidingWindowModel({ limit: 3, windowMs: 1000 });
    expect(model.consume('u', t0).remaining).toBe(2);
    expect(model.consume('u', t0 + 100).remaining).toBe(1);
    expect(model.consume('u', t0 + 200).remaining).toBe(0);
    const refused = model.consume('u', t0 + 300);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 700, resetAtMs: t0 + 1000 });
    expect(model.consume('u', t0 + 999).allowed).toBe(false);
    // The first entry leaves the window exactly windowMs after it was made.
    expect(model.consume('u', t0 + 1000)).toMatchObject({ allowed: true, remaining: 0 });
    expect(model.consume('u', t0 + 1100).allowed).toBe(true);
  });

  it('is rolling, not fixed: a burst at the end of one hour still counts at the start of the next', () => {
    const model = new SlidingWindowModel({ limit: 2, windowMs: 3_600_000 });
    model.consume('u', t0 + 3_599_000);
    model.consume('u', t0 + 3_599_500);
    expect(model.consume('u', t0 + 3_600_001).allowed).toBe(false);
  });

  it('waits for enough entries when the cost is larger than one', () => {
    const model = new SlidingWindowModel({ limit: 4, windowMs: 1000 });
    model.consume('u', t0);
    model.consume('u', t0 + 100);
    model.consume('u', t0 + 200, { cost: 2 });
    expect(model.consume('u', t0 + 300, { cost: 2 }).retryAfterMs).toBe(800); // two entries must expire
    model.refund('u', t0 + 300, 2);
    expect(model.peek('u', t0 + 300)).toMatchObject({ allowed: true, remaining: 2 });
    model.reset();
    expect(model.peek('u', t0 + 300).remaining).toBe(4);
  });
});
