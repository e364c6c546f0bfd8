import { ManualClock } from './clock';
import { ALL_RESOURCES, IdentityLedger } from './identity-stats';

describe('IdentityLedger', () => {
  it('counts requests per resource, in-flight and peak concurrency', () => {
    const ledger = new IdentityLedger(new ManualClock());
    const a = ledger.begin('github:user:1', 'core');
    const b = ledger.begin('github:user:1', 'git');
    ledger.end(a);
    ledger.end(a); // idempotent
    const c = ledger.begin('github:user:1', 'core');
    const stats = ledger.snapshot().identities['github:user:1'];
    expect(stats).toMatchObject({ requests: 3, inFlight: 2, peakConcurrency: 2, byResource: { core: 2, git: 1, search: 0, graphql: 0, lfs: 0 } });
    ledger.end(b);
    ledger.end(c);
    expect(ledger.inFlight('github:user:1')).toBe(0);
  });

  it('records a violation for requests inside a wait window of the same resource or of all resources', () => {
    const clock = new ManualClock(1_000_000);
    const ledger = new IdentityLedger(clock);
    ledger.toldToWait('id', 'core', 1_005_000);
    expect(ledger.begin('id', 'core').violation).toBe(true);
    expect(ledger.begin('id', 'git').violation).toBe(false);
    expect(ledger.begin('id', 'core', { exemptFromViolations: true }).violation).toBe(false);
    clock.set(1_005_000);
    expect(ledger.begin('id', 'core').violation).toBe(false);
    ledger.toldToWait('id', ALL_RESOURCES, 1_006_000);
    expect(ledger.begin('id', 'git').violation).toBe(true);
    expect(ledger.snapshot().identities.id.violations).toBe(2);
  });

  it('makes an announced wait binding only from the next event-loop turn', async () => {
    const clock = new ManualClock(1_000_000);
    const ledger = new IdentityLedger(clock);
    ledger.announceWait('id', 'core', 1_005_000);
    expect(ledger.begin('id', 'core').violation).toBe(false); // already on its way when the answer was written
    await new Promise((resolve) => setImmediate(resolve));
    expect(ledger.begin('id', 'core').violation).toBe(true);
  });

  it('reset forgets everything, and requests in flight across a reset do not corrupt the new counters', () => {
    const ledger = new IdentityLedger(new ManualClock());
    const old = ledger.begin('id', 'core');
    ledger.refused(old, 'primary');
    ledger.authFailure('github');
    ledger.reset();
    ledger.end(old);
    ledger.refused(old, 'primary');
    expect(ledger.snapshot()).toEqual({ identities: {}, authFailures: {} });
    ledger.begin('id', 'core');
    expect(ledger.snapshot().identities.id).toMatchObject({ requests: 1, inFlight: 1, refusals: 0 });
  });
});
