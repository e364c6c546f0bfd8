import { LOCAL_REDIS, deleteRedisPrefix, uniqueQueuePrefix } from '@repovault/testing/support';
import { Redis } from 'ioredis';
import { type BudgetCandidate, type BudgetKeySpec, BudgetLedger } from '../src/budget-ledger';

describe('BudgetLedger (Redis scripts)', () => {
  let redis: Redis;
  let prefix: string;
  let ledger: BudgetLedger;

  beforeEach(() => {
    redis = new Redis(LOCAL_REDIS);
    prefix = uniqueQueuePrefix('ledger');
    ledger = new BudgetLedger(redis, prefix, 400, 1); // burst = the whole limit: no pacing unless a test asks
  });
  afterEach(async () => {
    redis.disconnect();
    await deleteRedisPrefix(prefix);
  });

  const spec = (key: string, model: BudgetKeySpec['model'], extra: Partial<BudgetKeySpec> = {}): BudgetKeySpec => ({
    key, model, concurrency: 100, windowMs: 3_600_000, defaultLimit: 0, reserveFraction: 0, refillPerMs: 0, ...extra,
  });
  const window = (credentialId: string, key: string, concurrency = 100): BudgetCandidate => ({
    credentialId, keys: [spec(key, 'window', { concurrency })],
  });

  async function teach(key: string, remaining: number, limit = 100, resetAt = Date.now() + 3_600_000): Promise<void> {
    const lease = await ledger.claim([window('c', key)]);
    if (!lease.granted) throw new Error('probe refused');
    await ledger.complete({ leaseId: lease.leaseId, budgetKey: key, status: 200, headers: { limit, remaining, resetAt } });
  }

  it('starts an unknown budget conservatively: one probe until a response teaches the numbers', async () => {
    const key = ledger.budgetKey('github:h:user:1', 'core');
    const first = await ledger.claim([window('c1', key)]);
    expect(first.granted).toBe(true);
    const second = await ledger.claim([window('c1', key)]);
    expect(second).toMatchObject({ granted: false, reason: expect.stringMatching(/learning/) });
    if (!first.granted) return;
    await ledger.complete({ leaseId: first.leaseId, budgetKey: key, status: 200, headers: { limit: 5000, remaining: 4999, resetAt: Date.now() + 3_600_000 } });
    expect(await ledger.state(key)).toMatchObject({ limit: 5000, remaining: 4999, known: true });
    expect((await ledger.claim([window('c1', key)])).granted).toBe(true);
  });

  it('never lets N parallel claimants take more than the budget holds', async () => {
    const key = ledger.budgetKey('github:h:user:2', 'core');
    await teach(key, 10);
    const otherRedis = new Redis(LOCAL_REDIS);
    const other = new BudgetLedger(otherRedis, prefix, 400, 1); // a second replica
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? ledger : other).claim([window('c', key)])));
    otherRedis.disconnect();
    expect(results.filter((r) => r.granted)).toHaveLength(10);
    const refused = results.find((r) => !r.granted);
    expect(refused).toMatchObject({ granted: false, reason: expect.stringMatching(/spent until reset/) });
  });

  it('lets two tokens of one identity drain one budget', async () => {
    const key = ledger.budgetKey('github:h:user:3', 'core');
    await teach(key, 6);
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.claim([window('token-a', key), window('token-b', key)])));
    const granted = results.filter((r) => r.granted);
    expect(granted).toHaveLength(6);
  });

  it('gives two tokens of one identity equal shares of a run', async () => {
    const key = ledger.budgetKey('github:h:user:33', 'core');
    await teach(key, 100);
    const picks: Record<string, number> = {};
    for (let i = 0; i < 20; i++) {
      const r = await ledger.claim([window('token-a', key), window('token-b', key)], { runId: 'run-equal-shares' });
      if (!r.granted) throw new Error('the budget holds 100');
      picks[r.credentialId] = (picks[r.credentialId] ?? 0) + 1;
      await ledger.complete({ leaseId: r.leaseId, budgetKey: r.budgetKey, runId: 'run-equal-shares', status: 200, headers: {} });
    }
    expect(picks).toEqual({ 'token-a': 10, 'token-b': 10 });
  });

  it('spreads use across identities by remaining share', async () => {
    const a = ledger.budgetKey('github:h:user:4', 'core');
    const b = ledger.budgetKey('github:h:user:5', 'core');
    await teach(a, 100);
    await teach(b, 100);
    const picks: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const r = await ledger.claim([window('A', a), window('B', b)]);
      if (r.granted) {
        picks[r.credentialId] = (picks[r.credentialId] ?? 0) + 1;
        await ledger.complete({ leaseId: r.leaseId, budgetKey: r.budgetKey, status: 200, headers: {} });
      }
    }
    expect(picks).toEqual({ A: 20, B: 20 });
  });

  it('re-syncs a budget from the headers and refunds an authorized 304', async () => {
    const key = ledger.budgetKey('github:h:user:6', 'core');
    await teach(key, 50);
    const lease = await ledger.claim([window('c', key)]);
    if (!lease.granted) throw new Error('refused');
    expect((await ledger.state(key)).remaining).toBe(49);
    await ledger.complete({ leaseId: lease.leaseId, budgetKey: key, status: 304, notModified: true, headers: { remaining: 50 } });
    expect((await ledger.state(key)).remaining).toBe(50);
    const second = await ledger.claim([window('c', key)]);
    if (!second.granted) throw new Error('refused');
    // someone else used the token meanwhile: the provider's lower number wins
    await ledger.complete({ leaseId: second.leaseId, budgetKey: key, status: 200, headers: { remaining: 12 } });
    expect((await ledger.state(key)).remaining).toBe(12);
  });

  it('honours retry-after on a refusal and counts it for the run', async () => {
    const key = ledger.budgetKey('github:h:user:7', 'core');
    await teach(key, 50);
    const lease = await ledger.claim([window('c', key)], { runId: 'run-1' });
    if (!lease.granted) throw new Error('refused');
    await ledger.complete({ leaseId: lease.leaseId, budgetKey: key, runId: 'run-1', status: 403, secondaryLimit: true, headers: { retryAfterMs: 2_000 } });
    const blocked = await ledger.claim([window('c', key)]);
    expect(blocked.granted).toBe(false);
    if (!blocked.granted) expect(blocked.retryAt).toBeGreaterThan(Date.now() + 1_500);
    expect(await ledger.usage('run-1')).toMatchObject({ total: 1, refusals: 1, byCredential: { c: 1 } });
  });

  it('waits for the reset when the provider says remaining 0', async () => {
    const key = ledger.budgetKey('github:h:user:8', 'core');
    const resetAt = Date.now() + 5_000;
    await teach(key, 0, 100, resetAt);
    const claim = await ledger.claim([window('c', key)]);
    expect(claim.granted).toBe(false);
    if (!claim.granted) expect(Math.abs(claim.retryAt - resetAt)).toBeLessThan(1_000);
  });

  it('expires leases of a dead holder and renews live ones', async () => {
    const key = ledger.budgetKey('github:h:user:9', 'git');
    const unmetered: BudgetCandidate = { credentialId: 'c', keys: [spec(key, 'unmetered', { concurrency: 1, windowMs: 0 })] };
    const held = await ledger.claim([unmetered]);
    expect(held.granted).toBe(true);
    expect((await ledger.claim([unmetered])).granted).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    if (held.granted) expect(await ledger.renew(held.leaseId, key)).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect((await ledger.claim([unmetered])).granted).toBe(false); // renewed: still held
    await new Promise((r) => setTimeout(r, 500));
    const after = await ledger.claim([unmetered]); // the holder died: its slot came back
    expect(after.granted).toBe(true);
    if (held.granted) expect(await ledger.renew(held.leaseId, key)).toBe(false);
  });

  it('paces once demand exceeds the budget: a burst, then what is left spread to the reset', async () => {
    const paced = new BudgetLedger(redis, prefix, 400, 0.1);
    const key = paced.budgetKey('github:h:user:10', 'core');
    const candidate = window('c', key);
    const lease = await paced.claim([candidate]);
    if (!lease.granted) throw new Error('probe refused');
    await paced.complete({ leaseId: lease.leaseId, budgetKey: key, status: 200, headers: { limit: 100, remaining: 100, resetAt: Date.now() + 10_000 } });
    // a first burst is served at full speed while demand is being measured
    const first = await Promise.all(Array.from({ length: 30 }, () => paced.claim([candidate])));
    expect(first.filter((r) => r.granted)).toHaveLength(30);
    await new Promise((r) => setTimeout(r, 1_100));
    // the measured demand (30 a second) would spend the 70 left long before the reset: a burst of
    // 10 % of the limit, then the rest spread over the time to the reset
    const burst = await Promise.all(Array.from({ length: 30 }, () => paced.claim([candidate])));
    const granted = burst.filter((r) => r.granted).length;
    expect(granted).toBeGreaterThanOrEqual(10);
    expect(granted).toBeLessThan(15);
    const refused = burst.find((r) => !r.granted);
    if (refused && !refused.granted) {
      expect(refused.reason).toMatch(/paced/);
      // the rest (~60) is spread over the ~9 s to the reset: about one per 150 ms
      expect(refused.retryAt - Date.now()).toBeGreaterThan(40);
      expect(refused.retryAt - Date.now()).toBeLessThan(400);
    }
  });

  it('runs at full speed while demand stays below the budget', async () => {
    const paced = new BudgetLedger(redis, prefix, 400, 0.01);
    const key = paced.budgetKey('github:h:user:12', 'core');
    const candidate = window('c', key, 1000);
    const lease = await paced.claim([candidate]);
    if (!lease.granted) throw new Error('probe refused');
    await paced.complete({ leaseId: lease.leaseId, budgetKey: key, status: 200, headers: { limit: 5000, remaining: 5000, resetAt: Date.now() + 3_600_000 } });
    // 300 calls in a burst need 300 of 5,000: no reason to slow down
    const results = await Promise.all(Array.from({ length: 300 }, () => paced.claim([candidate])));
    expect(results.filter((r) => r.granted)).toHaveLength(300);
  });

  it('keeps the identity that holds an ETag even while pacing, as long as it has budget', async () => {
    const paced = new BudgetLedger(redis, prefix, 400, 0.1);
    const a = paced.budgetKey('github:h:user:13', 'core');
    const b = paced.budgetKey('github:h:user:14', 'core');
    for (const key of [a, b]) {
      const lease = await paced.claim([window('x', key)]);
      if (!lease.granted) throw new Error('probe refused');
      await paced.complete({ leaseId: lease.leaseId, budgetKey: key, status: 200, headers: { limit: 100, remaining: 100, resetAt: Date.now() + 10_000 } });
    }
    await Promise.all(Array.from({ length: 20 }, () => paced.claim([window('A', a)])));
    await new Promise((r) => setTimeout(r, 1_100)); // A is now paced
    const results = await Promise.all(Array.from({ length: 40 }, () => paced.claim([window('A', a), window('B', b)], { preferBudgetKey: a })));
    expect(results.filter((r) => r.granted && r.credentialId === 'A')).toHaveLength(40);
  });

  it('keeps a reserve for people using the same token by hand', async () => {
    const key = ledger.budgetKey('github:h:user:11', 'core');
    const reserved: BudgetCandidate = { credentialId: 'c', keys: [spec(key, 'window', { reserveFraction: 0.1 })] };
    const probe = await ledger.claim([reserved]);
    if (!probe.granted) throw new Error('probe refused');
    await ledger.complete({ leaseId: probe.leaseId, budgetKey: key, status: 200, headers: { limit: 50, remaining: 50, resetAt: Date.now() + 60_000 } });
    const results = await Promise.all(Array.from({ length: 60 }, () => ledger.claim([reserved])));
    expect(results.filter((r) => r.granted)).toHaveLength(45);
  });

  it('counts a rolling window without a remaining header (Bitbucket Cloud)', async () => {
    const key = ledger.budgetKey('bitbucket-cloud:h:user:1', 'api');
    const sliding: BudgetCandidate = { credentialId: 'c', keys: [spec(key, 'sliding', { defaultLimit: 5, windowMs: 1_000 })] };
    const first = await Promise.all(Array.from({ length: 8 }, () => ledger.claim([sliding])));
    expect(first.filter((r) => r.granted)).toHaveLength(5);
    const refused = first.find((r) => !r.granted);
    if (refused && !refused.granted) expect(refused.retryAt - Date.now()).toBeGreaterThan(700);
    await new Promise((r) => setTimeout(r, 1_100));
    expect((await ledger.claim([sliding])).granted).toBe(true);
  });

  it('keeps a rolling-window call until a window after its response, and on a bare 429 waits for the oldest call to leave', async () => {
    const key = ledger.budgetKey('bitbucket-cloud:h:user:2', 'api');
    const sliding: BudgetCandidate = { credentialId: 'c', keys: [spec(key, 'sliding', { defaultLimit: 2, windowMs: 1_000 })] };
    const slow = await ledger.claim([sliding]);
    const quick = await ledger.claim([sliding]);
    if (!slow.granted || !quick.granted) throw new Error('both fit the window');
    await new Promise((r) => setTimeout(r, 600)); // the slow response comes in late: the provider may have counted it late
    await ledger.complete({ leaseId: slow.leaseId, budgetKey: key, status: 200, headers: {} });
    const stamped = Date.now();
    await new Promise((r) => setTimeout(r, 500)); // the claim time left the window, the response time has not
    const early = await ledger.claim([sliding]);
    expect(early.granted).toBe(true); // the quick call's slot (never completed: stamped at its claim)
    const full = await ledger.claim([sliding]);
    expect(full.granted ? 0 : full.retryAt).toBeGreaterThanOrEqual(stamped + 1_000 - 50);

    if (!early.granted) throw new Error('unreachable');
    await ledger.complete({ leaseId: early.leaseId, budgetKey: key, status: 429, headers: {} });
    const blocked = await ledger.claim([sliding]);
    expect(blocked.granted).toBe(false);
    if (!blocked.granted) expect(blocked.retryAt).toBeLessThan(Date.now() + 1_100); // not an exponential backoff of minutes
  });

  it('charges calls made before the budget could be named (a validation) to a rolling window and a known window', async () => {
    const rolling = spec(ledger.budgetKey('bitbucket-cloud:h:user:3', 'api'), 'sliding', { defaultLimit: 3, windowMs: 5_000 });
    const now = Date.now();
    await ledger.charge([rolling], [now - 100, now - 50]);
    const after = await Promise.all(Array.from({ length: 3 }, () => ledger.claim([{ credentialId: 'c', keys: [rolling] }])));
    expect(after.filter((r) => r.granted)).toHaveLength(1);

    const fixed = spec(ledger.budgetKey('gitlab:h:user:9', 'api'), 'window', { defaultLimit: 10, windowMs: 60_000 });
    expect((await ledger.claim([{ credentialId: 'c', keys: [fixed] }])).granted).toBe(true); // makes the window known
    await ledger.charge([fixed], [now - 10, now - 5, now - 120_000]); // the last one belongs to an earlier window
    expect((await ledger.state(fixed.key)).remaining).toBe(7);
  });

  it('draws from a token bucket that refills and re-syncs from headers (Bitbucket DC)', async () => {
    const key = ledger.budgetKey('bitbucket-dc:h:user:alice', 'api');
    const bucket: BudgetCandidate = { credentialId: 'c', keys: [spec(key, 'bucket', { defaultLimit: 6, refillPerMs: 0.01 })] };
    const burst = await Promise.all(Array.from({ length: 10 }, () => ledger.claim([bucket])));
    expect(burst.filter((r) => r.granted)).toHaveLength(6);
    const refused = burst.find((r) => !r.granted);
    if (refused && !refused.granted) expect(refused.retryAt - Date.now()).toBeLessThan(150); // 1 token per 100 ms
    await new Promise((r) => setTimeout(r, 220));
    const refill = await Promise.all(Array.from({ length: 5 }, () => ledger.claim([bucket])));
    expect(refill.filter((r) => r.granted)).toHaveLength(2);
    const lease = refill.find((r) => r.granted);
    if (lease?.granted) await ledger.complete({ leaseId: lease.leaseId, budgetKey: key, status: 200, headers: { remaining: 0, refillPerMs: 0.01 } });
    expect((await ledger.claim([bucket])).granted).toBe(false);
  });

  it('makes a call fit every limit it draws from, e.g. a per-identity and a per-IP aggregate (GitLab)', async () => {
    const ip = ledger.budgetKey('gitlab:h:ip', 'api');
    const users = [1, 2, 3].map((id) => ledger.budgetKey(`gitlab:h:user:${id}`, 'api'));
    const candidates: BudgetCandidate[] = users.map((key, i) => ({
      credentialId: `u${i}`,
      keys: [spec(key, 'window', { defaultLimit: 4, windowMs: 60_000 }), spec(ip, 'window', { defaultLimit: 7, windowMs: 60_000 })],
    }));
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.claim(candidates)));
    expect(results.filter((r) => r.granted)).toHaveLength(7); // 3 users × 4 would be 12, the IP caps at 7
    // a told limit counts in windows aligned to multiples of its period, as GitLab's Rack::Attack does
    const refused = results.find((r) => !r.granted);
    expect(refused && !refused.granted ? Number(refused.retryAt) % 60_000 : -1).toBe(0);
    expect(Number(await redis.hget(ip, 'reset')) % 60_000).toBe(0);
  });
});
