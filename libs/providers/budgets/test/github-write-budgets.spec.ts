import { githubResourceOf } from '@repovault/providers/github';
import { LOCAL_REDIS, deleteRedisPrefix, uniqueQueuePrefix } from '@repovault/testing/support';
import { Redis } from 'ioredis';
import { type BudgetCandidate, BudgetLedger } from '../src/budget-ledger';
import { GITHUB_WRITE_LIMITS, budgetRules } from '../src/budget-rules';

describe('GitHub writes in the budget rules', () => {
  it('classifies requests: reads core, writes core-write, creations core-create', () => {
    expect(githubResourceOf('/repos/acme/w/issues', 'GET')).toBe('core');
    expect(githubResourceOf('/api/v3/repos/acme/w/issues', 'POST')).toBe('core-create');
    expect(githubResourceOf('/repos/acme/w/issues/3', 'PATCH')).toBe('core-write');
    expect(githubResourceOf('/repos/acme/w/labels/bug', 'DELETE')).toBe('core-write');
    expect(githubResourceOf('/search/issues', 'GET')).toBe('search');
    expect(githubResourceOf('/graphql', 'POST')).toBe('graphql');
  });

  it('a write spends the core budget and 5 of 900 points a minute; a creation also the 80/min and 500/h limits', () => {
    const rules = budgetRules('github');
    const summary = (resource: string) => rules.limits(resource).map((l) => `${l.name}:${l.defaultLimit}/${l.windowMs}`);
    expect(summary('core')).toEqual(['core:0/3600000']);
    expect(summary('core-write')).toEqual(['core:0/3600000', `write-points:${900 / 5}/60000`]);
    expect(summary('core-create')).toEqual(['core:0/3600000', 'write-points:180/60000', 'creations-minute:80/60000', 'creations-hour:500/3600000']);
    expect(GITHUB_WRITE_LIMITS.pointsPerWrite).toBe(5);
  });

  describe('claimed against Redis', () => {
    let redis: Redis;
    let prefix: string;
    let ledger: BudgetLedger;
    beforeEach(() => {
      redis = new Redis(LOCAL_REDIS);
      prefix = uniqueQueuePrefix('gh-writes');
      ledger = new BudgetLedger(redis, prefix, 60_000, 1);
    });
    afterEach(async () => {
      redis.disconnect();
      await deleteRedisPrefix(prefix);
    });

    const candidate = (identity: string, resource: string): BudgetCandidate => ({
      credentialId: 'c',
      keys: budgetRules('github').limits(resource).map((l) => ({
        key: ledger.budgetKey(identity, l.name), model: l.model, concurrency: 1_000, windowMs: l.windowMs, defaultLimit: l.defaultLimit, reserveFraction: 0, refillPerMs: 0,
      })),
    });

    it('lets 80 creations out in a minute and then answers a time to come back, while reads still go', async () => {
      const identity = 'github:api.github.com:user:7';
      // the primary budget is known (a response taught it): plenty left
      const probe = await ledger.claim([candidate(identity, 'core')]);
      if (!probe.granted) throw new Error('probe refused');
      await ledger.complete({ leaseId: probe.leaseId, budgetKey: probe.budgetKey, status: 200, headers: { limit: 5000, remaining: 4999, resetAt: Date.now() + 3_600_000 } });

      const claims = [];
      for (let i = 0; i < 81; i++) claims.push(await ledger.claim([candidate(identity, 'core-create')]));
      expect(claims.filter((c) => c.granted)).toHaveLength(80);
      expect(claims[80]).toMatchObject({ granted: false, reason: expect.stringMatching(/spent until reset/) });
      expect((await ledger.claim([candidate(identity, 'core')])).granted).toBe(true);
      // PATCHes (no content created) have write points left: 180 - 80
      const patches = [];
      for (let i = 0; i < 101; i++) patches.push(await ledger.claim([candidate(identity, 'core-write')]));
      expect(patches.filter((c) => c.granted)).toHaveLength(100);
    });
  });
});
