import { TokenBucketModel } from './token-bucket';

describe('TokenBucketModel (Bitbucket Data Center)', () => {
  const t0 = 5_000_000;

  it('starts full, refuses when empty, and refills continuously', () => {
    const model = new TokenBucketModel({ capacity: 3, refillPerSecond: 2 });
    expect([1, 2, 3].map(() => model.consume('u', t0).remaining)).toEqual([2, 1, 0]);
    const refused = model.consume('u', t0);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterMs: 500 });
    expect(model.consume('u', t0 + 499).allowed).toBe(false);
    expect(model.consume('u', t0 + 500)).toMatchObject({ allowed: true, remaining: 0 });
    // Never more than the capacity, however long it waits.
    expect(model.peek('u', t0 + 60_000).remaining).toBe(3);
  });

  it('follows the time scale through the length of a simulated second', () => {
    const model = new TokenBucketModel({ capacity: 1, refillPerSecond: 1, secondMs: 10 });
    model.consume('u', t0);
    expect(model.consume('u', t0).retryAfterMs).toBe(10);
    expect(model.consume('u', t0 + 10).allowed).toBe(true);
  });

  it('refunds, reports time to full, and resets', () => {
    const model = new TokenBucketModel({ capacity: 4, refillPerSecond: 1 });
    model.consume('u', t0, { cost: 4 });
    expect(model.peek('u', t0).resetAtMs).toBe(t0 + 4000);
    model.refund('u', t0, 2);
    expect(model.peek('u', t0).remaining).toBe(2);
    model.reset();
    expect(model.peek('u', t0).remaining).toBe(4);
  });
});
