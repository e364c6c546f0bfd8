import { PerMinuteWindowModel } from './per-minute-window';

describe('PerMinuteWindowModel (GitLab per user and per IP)', () => {
  const minute = 60_000;
  const t0 = 100 * minute; // aligned to a period boundary

  it('uses epoch-aligned windows that reset at the next boundary', () => {
    const model = new PerMinuteWindowModel({ limit: 2, periodMs: minute });
    expect(model.consume('user', t0 + 59_000)).toMatchObject({ allowed: true, remaining: 1, resetAtMs: t0 + minute });
    expect(model.consume('user', t0 + 59_500).remaining).toBe(0);
    expect(model.consume('user', t0 + 59_900)).toMatchObject({ allowed: false, retryAfterMs: 100, limitedBy: 'key' });
    expect(model.consume('user', t0 + minute)).toMatchObject({ allowed: true, remaining: 1 });
  });

  it('refuses when the aggregate key (the IP) is spent even though the user has room', () => {
    const model = new PerMinuteWindowModel({ limit: 5, aggregateLimit: 3, periodMs: minute });
    model.consume('alice', t0, { aggregateKey: '10.0.0.1' });
    model.consume('bob', t0, { aggregateKey: '10.0.0.1' });
    const third = model.consume('carol', t0, { aggregateKey: '10.0.0.1' });
    expect(third).toMatchObject({ allowed: true, remaining: 0, limitedBy: 'aggregate' });
    const refused = model.consume('dave', t0, { aggregateKey: '10.0.0.1' });
    expect(refused).toMatchObject({ allowed: false, limitedBy: 'aggregate', limit: 3 });
    // Another IP is unaffected, and a refused request charged nothing.
    expect(model.consume('dave', t0, { aggregateKey: '10.0.0.2' })).toMatchObject({ allowed: true, remaining: 2 });
    expect(model.peek('dave', t0).used).toBe(1);
  });

  it('refunds and resets', () => {
    const model = new PerMinuteWindowModel({ limit: 1, periodMs: minute });
    model.consume('u', t0);
    expect(model.peek('u', t0).allowed).toBe(false);
    model.refund('u', t0);
    expect(model.peek('u', t0).allowed).toBe(true);
    model.consume('u', t0);
    model.reset();
    expect(model.peek('u', t0).allowed).toBe(true);
  });
});
