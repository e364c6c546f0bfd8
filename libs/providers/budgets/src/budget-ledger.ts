import type { CredentialUsage } from '@repovault/contracts/internal-api';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import type { BudgetHeaders, BudgetModelKind } from './budget-rules';
import { CHARGE_SCRIPT, CLAIM_SCRIPT, COMPLETE_SCRIPT, RENEW_SCRIPT } from './claim-scripts';

/** One limit a call must fit in. */
export interface BudgetKeySpec {
  key: string;
  model: BudgetModelKind;
  /** concurrent calls per identity (only the first key of a candidate holds leases) */
  concurrency: number;
  windowMs: number;
  /** a limit known in advance (0: learn it from the provider's headers) */
  defaultLimit: number;
  /** share of the limit left untouched for people who use the same tokens by hand */
  reserveFraction: number;
  /** token bucket refill, tokens per ms */
  refillPerMs: number;
}

/** A credential the call may use: its identity's budget first, then shared limits (e.g. per-IP). */
export interface BudgetCandidate {
  credentialId: string;
  keys: BudgetKeySpec[];
}

export type LedgerClaim =
  | { granted: true; leaseId: string; credentialId: string; budgetKey: string; expiresAt: number }
  | { granted: false; retryAt: number; reason: string };

export interface LedgerCompletion {
  leaseId: string;
  budgetKey: string;
  runId?: string;
  status: number;
  headers: BudgetHeaders & { refillPerMs?: number };
  notModified?: boolean;
  secondaryLimit?: boolean;
  waitedMs?: number;
}

export interface BudgetState {
  limit: number | null;
  remaining: number | null;
  resetAt: number | null;
  known: boolean;
  blockedUntil: number | null;
  inFlight: number;
}

type LedgerRedis = Redis & {
  rvClaim(...args: (string | number)[]): Promise<[number, string, string?, string?]>;
  rvComplete(...args: (string | number)[]): Promise<number>;
  rvRenew(...args: (string | number)[]): Promise<number>;
  rvCharge(...args: (string | number)[]): Promise<number>;
};

/**
 * Every budget decision, atomically in Redis (see claim-scripts.ts), so any number of replicas
 * agree: claims, completions with the provider's numbers, lease renewals, per-run usage.
 */
export class BudgetLedger {
  private readonly redis: LedgerRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly leaseTtlMs = 60_000,
    /** share of a window's limit that may go out at once before pacing spreads the rest */
    private readonly burstFraction = 0.05,
  ) {
    redis.defineCommand('rvClaim', { numberOfKeys: 0, lua: CLAIM_SCRIPT });
    redis.defineCommand('rvComplete', { numberOfKeys: 0, lua: COMPLETE_SCRIPT });
    redis.defineCommand('rvRenew', { numberOfKeys: 0, lua: RENEW_SCRIPT });
    redis.defineCommand('rvCharge', { numberOfKeys: 0, lua: CHARGE_SCRIPT });
    this.redis = redis as LedgerRedis;
  }

  budgetKey(identityKey: string, resource: string): string {
    return `${this.prefix}:budget:${identityKey}:${resource}`;
  }

  async claim(candidates: readonly BudgetCandidate[], options: { runId?: string; preferBudgetKey?: string } = {}): Promise<LedgerClaim> {
    const leaseId = randomUUID();
    const args: (string | number)[] = [
      leaseId, this.leaseTtlMs, options.preferBudgetKey ?? '', options.runId ? this.usageKey(options.runId) : '', this.leasePrefix(), this.burstFraction, candidates.length,
    ];
    for (const c of candidates) {
      args.push(c.credentialId, c.keys.length);
      for (const k of c.keys) args.push(k.key, k.model, k.concurrency, k.windowMs, k.defaultLimit, k.reserveFraction, k.refillPerMs);
    }
    const [granted, a, b, c] = await this.redis.rvClaim(...args);
    if (granted !== 1) return { granted: false, retryAt: Number(a), reason: b ?? 'no budget' };
    return { granted: true, leaseId, credentialId: a, budgetKey: b ?? '', expiresAt: Number(c) };
  }

  async complete(completion: LedgerCompletion): Promise<void> {
    const h = completion.headers;
    await this.redis.rvComplete(
      completion.leaseId, completion.budgetKey, this.leasePrefix(), completion.runId ? this.usageKey(completion.runId) : '', completion.status,
      opt(h.limit), opt(h.remaining), opt(h.resetAt), opt(h.retryAfterMs),
      completion.secondaryLimit ? 1 : 0, completion.notModified ? 1 : 0, completion.waitedMs ?? 0, opt(h.refillPerMs),
    );
  }

  /**
   * Completes a lease whose response's numbers describe another of the call's limits (GitLab's
   * per-IP counter): the lease is released on its own budget, the numbers go to `observedKey`.
   */
  async completeElsewhere(completion: LedgerCompletion, observedKey: string): Promise<void> {
    await this.complete({ ...completion, headers: {}, status: completion.status === 429 || completion.status === 403 ? 200 : completion.status });
    await this.complete({ ...completion, leaseId: `observe-${completion.leaseId}`, budgetKey: observedKey, runId: completion.runId });
  }

  /** Charges calls made before the budget could be named (see CHARGE_SCRIPT) to every given key. */
  async charge(keys: readonly Pick<BudgetKeySpec, 'key' | 'model' | 'windowMs'>[], calledAt: readonly number[]): Promise<void> {
    if (keys.length === 0 || calledAt.length === 0) return;
    const args: (string | number)[] = [`charged-${randomUUID()}`];
    for (const k of keys) args.push(k.key, k.model, k.windowMs, calledAt.length, ...calledAt);
    await this.redis.rvCharge(...args);
  }

  async renew(leaseId: string, budgetKey: string): Promise<boolean> {
    return (await this.redis.rvRenew(leaseId, budgetKey, this.leasePrefix(), this.leaseTtlMs)) === 1;
  }

  async usage(runId: string): Promise<CredentialUsage> {
    const raw = await this.redis.hgetall(this.usageKey(runId));
    const byCredential: Record<string, number> = {};
    for (const [field, value] of Object.entries(raw)) if (field.startsWith('c:')) byCredential[field.slice(2)] = Number(value);
    return { total: Number(raw['total'] ?? 0), byCredential, waitMs: Number(raw['waitMs'] ?? 0), refusals: Number(raw['refusals'] ?? 0) };
  }

  async state(budgetKey: string): Promise<BudgetState> {
    const [fields, inFlight] = await Promise.all([
      this.redis.hmget(budgetKey, 'limit', 'remaining', 'reset', 'known', 'blocked'),
      this.redis.zcount(`${budgetKey}:leases`, Date.now(), '+inf'),
    ]);
    const n = (v: string | null) => (v === null ? null : Number(v));
    return { limit: n(fields[0] ?? null), remaining: n(fields[1] ?? null), resetAt: n(fields[2] ?? null), known: fields[3] === '1', blockedUntil: n(fields[4] ?? null), inFlight };
  }

  private usageKey(runId: string): string {
    return `${this.prefix}:usage:${runId}`;
  }

  private leasePrefix(): string {
    return `${this.prefix}:lease:`;
  }
}

function opt(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}
