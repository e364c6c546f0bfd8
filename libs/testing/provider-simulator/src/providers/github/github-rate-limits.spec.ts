import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../simulator';
import { authHeaders, getJson } from '../../test-support/api-client';
import { smallSeed } from '../../test-support/small-seed';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function rate(headers: Headers): { limit: number; remaining: number; used: number; reset: number; resource: string | null } {
  return {
    limit: Number(headers.get('x-ratelimit-limit')),
    remaining: Number(headers.get('x-ratelimit-remaining')),
    used: Number(headers.get('x-ratelimit-used')),
    reset: Number(headers.get('x-ratelimit-reset')),
    resource: headers.get('x-ratelimit-resource'),
  };
}

async function withSimulator(options: Omit<SimulatorOptions, 'seed'>, body: (sim: RunningSimulator) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ seed: smallSeed(0), ...options });
  try {
    await body(sim);
  } finally {
    await sim.close();
  }
}

describe('GitHub primary rate limit', () => {
  it('refuses exactly when the budget is exceeded, with the right status and headers, and counts the violation', async () => {
    await withSimulator({ github: { coreLimit: 5 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/repos/acme/public-one`;
      const seen: Array<ReturnType<typeof rate>> = [];
      for (let i = 0; i < 5; i++) {
        const res = await getJson(url, sim.tokens.alice);
        expect(res.status).toBe(200);
        seen.push(rate(res.headers));
      }
      expect(seen.map((r) => r.remaining)).toEqual([4, 3, 2, 1, 0]);
      expect(seen.map((r) => r.used)).toEqual([1, 2, 3, 4, 5]);
      expect(seen.every((r) => r.limit === 5 && r.resource === 'core' && r.reset === seen[0].reset)).toBe(true);
      expect(seen[0].reset * 1000).toBeGreaterThan(Date.now() + 3_500_000);

      const refused = await getJson<{ message: string; documentation_url: string }>(url, sim.tokens.alice);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/^API rate limit exceeded for user ID 1001\./);
      expect(rate(refused.headers)).toEqual({ limit: 5, remaining: 0, used: 5, reset: seen[0].reset, resource: 'core' });

      const alice = sim.stats().identities[sim.identityOf(sim.tokens.alice)];
      expect(alice).toMatchObject({ requests: 6, refusals: 1, violations: 1, refusalsByReason: { primary: 1 } });
    });
  });

  it('makes two tokens of one user share one budget, while another user keeps their own', async () => {
    await withSimulator({ github: { coreLimit: 3 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/user`;
      expect(rate((await getJson(url, sim.tokens.alice)).headers).remaining).toBe(2);
      expect(rate((await getJson(url, sim.tokens['alice-2'])).headers).remaining).toBe(1);
      expect(rate((await getJson(url, sim.tokens.alice)).headers).remaining).toBe(0);
      const second = await getJson(url, sim.tokens['alice-2']);
      expect(second.status).toBe(403);
      expect(rate((await getJson(url, sim.tokens.bob)).headers).remaining).toBe(2);
      const stats = sim.stats().identities;
      expect(Object.keys(stats).sort()).toEqual([sim.identityOf(sim.tokens.alice), sim.identityOf(sim.tokens.bob)].sort());
      expect(stats[sim.identityOf(sim.tokens['alice-2'])]).toMatchObject({ requests: 4, violations: 1 });
    });
  });

  it('answers 429 when configured, and a fresh window after the reset second is no violation (time scale)', async () => {
    await withSimulator({ timeScale: 1800, github: { coreLimit: 2, refusalStatus: 429 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/user`;
      await getJson(url, sim.tokens.alice);
      const last = await getJson(url, sim.tokens.alice);
      const { reset } = rate(last.headers);
      expect(reset * 1000 - Date.now()).toBeLessThanOrEqual(3000); // an hour lasts two seconds (reset rounded up)
      const refused = await getJson(url, sim.tokens.alice);
      expect(refused.status).toBe(429);
      expect(rate(refused.headers).remaining).toBe(0);
      await sleep(Math.max(0, reset * 1000 - Date.now()));
      const fresh = await getJson(url, sim.tokens.alice);
      expect(fresh.status).toBe(200);
      expect(rate(fresh.headers)).toMatchObject({ remaining: 1, used: 1 });
      expect(sim.stats().identities[sim.identityOf(sim.tokens.alice)]).toMatchObject({ requests: 4, refusals: 1, violations: 1 });
    });
  });

  it('gives unauthenticated callers a small budget per IP', async () => {
    await withSimulator({ github: { anonymousLimit: 2 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/repos/acme/public-one`;
      expect(rate((await getJson(url)).headers)).toMatchObject({ limit: 2, remaining: 1 });
      await getJson(url);
      const refused = await getJson<{ message: string }>(url);
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/^API rate limit exceeded for 127\.0\.0\.1\./);
      expect(sim.stats().identities['github:ip:127.0.0.1']).toMatchObject({ requests: 3, refusals: 1, violations: 1 });
    });
  });

  it('keeps GET /rate_limit free, and reset() restores every budget and counter', async () => {
    await withSimulator({ github: { coreLimit: 1 } }, async (sim) => {
      await getJson(`${sim.github.baseUrl}/user`, sim.tokens.alice);
      const limits = await getJson<{ resources: { core: { remaining: number; used: number; limit: number } } }>(`${sim.github.baseUrl}/rate_limit`, sim.tokens.alice);
      expect(limits.status).toBe(200);
      expect(limits.body.resources.core).toMatchObject({ limit: 1, used: 1, remaining: 0 });
      const again = await getJson<{ resources: { core: { used: number } } }>(`${sim.github.baseUrl}/rate_limit`, sim.tokens.alice);
      expect(again.body.resources.core.used).toBe(1);
      expect(sim.stats().identities[sim.identityOf(sim.tokens.alice)]).toMatchObject({ requests: 3, violations: 0, refusals: 0 });
      sim.reset();
      expect(sim.stats().identities).toEqual({});
      const fresh = await getJson(`${sim.github.baseUrl}/user`, sim.tokens.alice);
      expect(fresh.status).toBe(200);
      expect(rate(fresh.headers).remaining).toBe(0);
    });
  });
});

describe('GitHub conditional requests', () => {
  it('does not charge authorised 304s, charges anonymous ones, and varies ETags per identity', async () => {
    await withSimulator({ github: { coreLimit: 100, anonymousLimit: 10 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/repos/acme/lfs-wiki/issues?state=all`;
      const first = await getJson(url, sim.tokens.alice);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^W\/"/);
      const before = rate(first.headers);
      for (let i = 0; i < 3; i++) {
        const res = await fetch(url, { headers: authHeaders(sim.tokens['alice-2'], { 'if-none-match': etag }) });
        expect(res.status).toBe(304);
        expect(await res.text()).toBe('');
        expect(rate(res.headers)).toMatchObject({ remaining: before.remaining, used: before.used, limit: 100 });
      }
      expect(sim.stats().identities[sim.identityOf(sim.tokens.alice)]).toMatchObject({ requests: 4, notModified: 3 });

      const bob = await getJson(url, sim.tokens.bob);
      expect(bob.headers.get('etag')).not.toBe(etag);

      const publicUrl = `${sim.github.baseUrl}/repos/acme/public-one`;
      const anon = await fetch(publicUrl);
      const anon304 = await fetch(publicUrl, { headers: { 'if-none-match': anon.headers.get('etag') ?? '' } });
      expect(anon304.status).toBe(304);
      expect(rate(anon304.headers).remaining).toBe(rate(anon.headers).remaining - 1);
    });
  });

  it('changes the ETag of affected listings when data changes', async () => {
    await withSimulator({}, async (sim) => {
      const url = `${sim.github.baseUrl}/repos/acme/public-one/issues/comments`;
      const first = await getJson(url, sim.tokens.alice);
      const etag = first.headers.get('etag') ?? '';
      const unchanged = await fetch(url, { headers: authHeaders(sim.tokens.alice, { 'if-none-match': etag }) });
      expect(unchanged.status).toBe(304);
      sim.addIssueComment('acme', 'public-one', 1, 'fresh');
      const changed = await fetch(url, { headers: authHeaders(sim.tokens.alice, { 'if-none-match': etag }) });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
      const issues = await fetch(`${sim.github.baseUrl}/repos/acme/public-one/issues/1`, { headers: authHeaders(sim.tokens.alice) });
      expect(((await issues.json()) as { comments: number }).comments).toBe(3);
    });
  });
});

describe('GitHub secondary rate limit', () => {
  it('trips the concurrency cap with 403 and retry-after, and counts requests inside the retry-after window as violations', async () => {
    await withSimulator({ latencyMs: 1000, timeScale: 60, github: { concurrencyLimit: 3, secondaryRetryAfterSeconds: 60 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/user`;
      const identity = sim.identityOf(sim.tokens.alice);
      const slow = Array.from({ length: 3 }, () => fetch(url, { headers: authHeaders(sim.tokens.alice) }));
      while (sim.stats().identities[identity]?.inFlight !== 3) await sleep(5);

      const over = await fetch(url, { headers: authHeaders(sim.tokens['alice-2']) });
      expect(over.status).toBe(403);
      expect(((await over.json()) as { message: string }).message).toContain('You have exceeded a secondary rate limit');
      const retryAfter = Number(over.headers.get('retry-after'));
      expect(retryAfter).toBe(1); // 60 simulated seconds at time scale 60
      expect(sim.stats().identities[identity]).toMatchObject({ peakConcurrency: 4, refusals: 1, violations: 0, refusalsByReason: { 'secondary-concurrency': 1 } });

      const impatient = await fetch(url, { headers: authHeaders(sim.tokens.alice) });
      expect(impatient.status).toBe(403);
      expect(Number(impatient.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(sim.stats().identities[identity]).toMatchObject({ refusals: 2, violations: 1 });

      expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200, 200]);
      await sleep(retryAfter * 1000 + 20);
      const patient = await fetch(url, { headers: authHeaders(sim.tokens.alice) });
      expect(patient.status).toBe(200);
      expect(sim.stats().identities[identity]).toMatchObject({ requests: 6, refusals: 2, violations: 1, inFlight: 0 });
    });
  });

  it('refuses a burst beyond the cap without calling requests that were already on their way violations', async () => {
    await withSimulator({ latencyMs: 300, github: { concurrencyLimit: 2 } }, async (sim) => {
      const burst = await Promise.all(Array.from({ length: 5 }, () => fetch(`${sim.github.baseUrl}/user`, { headers: authHeaders(sim.tokens.bob) })));
      await Promise.all(burst.map((r) => r.arrayBuffer()));
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(2);
      expect(statuses.filter((s) => s === 403).length).toBeGreaterThanOrEqual(3);
      expect(sim.stats().identities[sim.identityOf(sim.tokens.bob)].peakConcurrency).toBeGreaterThanOrEqual(3);
    });
  });

  it('limits points per minute per endpoint when configured', async () => {
    await withSimulator({ github: { pointsPerMinutePerEndpoint: 3 } }, async (sim) => {
      const url = `${sim.github.baseUrl}/orgs/acme`;
      for (let i = 0; i < 3; i++) expect((await fetch(url, { headers: authHeaders(sim.tokens.alice) })).status).toBe(200);
      const refused = await fetch(url, { headers: authHeaders(sim.tokens.alice) });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { message: string }).message).toContain('secondary rate limit');
      expect(refused.headers.get('retry-after')).toBe('60');
    });
  });
});
