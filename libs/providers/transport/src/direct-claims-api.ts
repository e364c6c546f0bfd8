import type { ClaimCandidates, ClaimCompletion, ClaimRequest, ClaimResponse, CredentialMaterial, LeaseRef } from '@repovault/contracts/internal-api';
import { ServiceUnreachableError } from '@repovault/platform/http';
import { BudgetLedger, budgetRules } from '@repovault/providers/budgets';
import type { Redis } from 'ioredis';
import type { ClaimsApi, HttpClaimsApi } from './claims-api';

/**
 * How long past its `ttlMs` an answer of credential-service keeps serving while it is being asked
 * again; beyond that claims fail closed until credential-service answers.
 */
export const CANDIDATES_MAX_STALE_MS = 1_000;

/**
 * Claims straight from the shared Redis budgets with the same scripts credential-service runs (one
 * script call instead of an HTTP round trip per provider call). credential-service still decides
 * which credentials and budgets a call may use: those come from it and are reused for a few seconds.
 */
export class DirectClaimsApi implements ClaimsApi {
  private readonly plans = new Map<string, { at: number; ttlMs: number; plan: Promise<ClaimCandidates>; refreshing: boolean }>();
  private readonly ledgers = new Map<string, BudgetLedger>();
  /** budget key → provider and ledger, to complete a lease with the right rules */
  private readonly byBudget = new Map<string, { provider: ClaimCandidates['provider']; ledger: BudgetLedger; ipKey?: string }>();

  constructor(private readonly redis: Redis, private readonly http: HttpClaimsApi) {}

  async claim(tenantId: string, request: ClaimRequest): Promise<ClaimResponse> {
    const plan = await this.candidates(tenantId, request);
    const ledger = this.ledger(plan.ledger);
    const prefer = request.preferIdentity ? plan.candidates.find((c) => c.identityKey === request.preferIdentity)?.keys[0]?.key : undefined;
    let result;
    try {
      result = await ledger.claim(plan.candidates.map((c) => ({ credentialId: c.credentialId, keys: c.keys })), { runId: request.runId, preferBudgetKey: prefer });
    } catch (error) {
      throw new ServiceUnreachableError('redis', error);
    }
    if (!result.granted) return { granted: false, retryAt: new Date(result.retryAt).toISOString(), reason: result.reason };
    if (this.byBudget.size > 50_000) this.byBudget.clear();
    const chosen = plan.candidates.find((c) => c.credentialId === result.credentialId);
    this.byBudget.set(result.budgetKey, { provider: plan.provider, ledger, ipKey: chosen?.keys.find((k) => k.key.includes(':ip:'))?.key });
    const identityKey = plan.candidates.find((c) => c.credentialId === result.credentialId)?.identityKey ?? '';
    return { granted: true, leaseId: result.leaseId, budgetKey: result.budgetKey, credentialId: result.credentialId, identityKey, expiresAt: new Date(result.expiresAt).toISOString() };
  }

  async complete(tenantId: string, lease: LeaseRef & { credentialId: string; runId?: string }, completion: ClaimCompletion): Promise<void> {
    const known = this.byBudget.get(lease.budgetKey);
    if (known) {
      const { provider, ledger, ipKey } = known;
      const headers = budgetRules(provider).parse(completion.status, lowerCase(completion.headers));
      const done = {
        leaseId: lease.leaseId, budgetKey: lease.budgetKey, runId: lease.runId, status: completion.status, headers,
        notModified: completion.notModified, secondaryLimit: completion.secondaryLimit, waitedMs: completion.waitedMs,
      };
      if (headers.scope === 'ip' && ipKey) await ledger.completeElsewhere(done, ipKey);
      else await ledger.complete(done);
    }
    if (completion.status === 401) await this.http.reportUnauthorized(tenantId, lease.credentialId);
  }

  async renew(_tenantId: string, lease: LeaseRef): Promise<void> {
    await this.byBudget.get(lease.budgetKey)?.ledger.renew(lease.leaseId, lease.budgetKey);
  }

  material(tenantId: string, credentialId: string): Promise<CredentialMaterial> {
    return this.http.material(tenantId, credentialId);
  }

  private candidates(tenantId: string, request: ClaimRequest): Promise<ClaimCandidates> {
    // per run: a run started right after its plan changed uses the plan as it is now
    const key = `${tenantId}/${request.organizationId}/${request.purpose}/${request.planId ?? ''}/${request.runId ?? ''}/${request.resource}`;
    const hit = this.plans.get(key);
    const age = hit ? Date.now() - hit.at : Infinity;
    // fail closed: an answer credential-service could not confirm for a while is not used any more
    if (!hit || age >= hit.ttlMs + CANDIDATES_MAX_STALE_MS) {
      this.plans.delete(key);
      return this.load(key, tenantId, request);
    }
    // credential-service says how long its answer holds (a few seconds: an invalidated credential
    // drops out soon); an expired answer is refreshed in the background while it still serves
    if (age >= hit.ttlMs && !hit.refreshing) {
      hit.refreshing = true;
      this.http.candidates(tenantId, withoutPreference(request)).then(
        (plan) => this.plans.set(key, { at: Date.now(), ttlMs: plan.ttlMs, plan: Promise.resolve(plan), refreshing: false }),
        () => (hit.refreshing = false), // asked again by the next claim until the answer is too old to serve
      );
    }
    return hit.plan;
  }

  private load(key: string, tenantId: string, request: ClaimRequest): Promise<ClaimCandidates> {
    const plan = this.http.candidates(tenantId, withoutPreference(request));
    const entry = { at: Date.now(), ttlMs: 3_000, plan, refreshing: false };
    this.plans.set(key, entry);
    plan.then((p) => (entry.ttlMs = p.ttlMs), () => this.plans.delete(key));
    return plan;
  }

  private ledger(settings: ClaimCandidates['ledger']): BudgetLedger {
    let ledger = this.ledgers.get(settings.prefix);
    if (!ledger) {
      ledger = new BudgetLedger(this.redis, settings.prefix, settings.leaseTtlMs, settings.burstFraction);
      this.ledgers.set(settings.prefix, ledger);
    }
    return ledger;
  }
}

/** Eligibility does not depend on which identity a call prefers. */
function withoutPreference(request: ClaimRequest): ClaimRequest {
  return { purpose: request.purpose, organizationId: request.organizationId, resource: request.resource, runId: request.runId, planId: request.planId };
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
