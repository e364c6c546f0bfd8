import { FixedWindowModel } from './fixed-window';

describe('FixedWindowModel (GitHub primary limit)', () => {
  const start = Date.UTC(2025, 0, 1, 12, 0, 0, 250);

  it('lets exactly `limit` requests through, the last one with remaining 0, and refuses the next', () => {
    const model = new FixedWindowModel({ limit: 3, windowMs: 10_000 });
    const remaining = [0, 1, 2].map((i) => model.consume('u', start + i).remaining);
    expect(remaining).toEqual([2, 1, 0]);
    const refused = model.consume('u', start + 5);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, used: 3, limit: 3 });
    expect(refused.retryAfterMs).toBe(refused.resetAtMs - (start + 5));
  });

  it('opens the window at the first request and aligns the reset up to a whole second', () => {
    const model = new FixedWindowModel({ limit: 1, windowMs: 10_000 });
    const first = model.consume('u', start);
    expect(first.resetAtMs).toBe(Date.UTC(2025, 0, 1, 12, 0, 11));
    expect(first.resetAtMs % 1000).toBe(0);
    expect(model.consume('u', first.resetAtMs - 1).allowed).toBe(false);
    const next = model.consume('u', first.resetAtMs);
    expect(next).toMatchObject({ allowed: true, remaining: 0, used: 1 });
    expect(next.resetAtMs).toBe(first.resetAtMs + 10_000);
  });

  it('keeps budgets per key, refunds, peeks without spending and resets', () => {
    const model = new FixedWindowModel({ limit: 2, windowMs: 1000 });
    model.consume('a', start);
    model.consume('a', start);
    expect(model.consume('b', start).remaining).toBe(1);
    model.refund('a', start);
    expect(model.peek('a', start)).toMatchObject({ allowed: true, remaining: 1, used: 1 });
    expect(model.peek('a', start).used).toBe(1);
    model.reset();
    expect(model.peek('a', start)).toMatchObject({ remaining: 2, used: 0 });
  });

  it('charges the given cost', () => {
    const model = new FixedWindowModel({ limit: 10, windowMs: 1000 });
    expect(model.consume('u', start, { cost: 7 }).remaining).toBe(3);
    expect(model.consume('u', start, { cost: 5 }).allowed).toBe(false);
    expect(model.consume('u', start, { cost: 3 }).remaining).toBe(0);
  });
});
