import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ClaimCandidates, ClaimRequest, ClaimResponse, CredentialUsage, Provider } from '@repovault/contracts/internal-api';
import { ProblemException, type InternalCaller } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import { DEFAULT_WORKER_POOL } from '@repovault/contracts/jobs';
import type { Redis } from 'ioredis';
import { IsNull, type Repository } from 'typeorm';
import { createHash } from 'node:crypto';
import type { ProviderFetch } from '@repovault/providers/core';
import { providerSupport } from '@repovault/providers/catalog';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { CredentialEntity } from '../credentials/credential.entity';
import { type BudgetSettings, DEFAULT_BUDGET_SETTINGS, budgetRules } from '@repovault/providers/budgets';
import type { BudgetKeySpec } from '@repovault/providers/budgets';
import { BudgetLedger } from '@repovault/providers/budgets';
import type { CompleteBody } from './claims.dto';
import { PlanPolicyClient } from './plan-policy.client';
import { RunScopeClient } from './run-scope.client';
import { ClaimsMetrics } from './claims-metrics';

export const CLAIMS_REDIS = Symbol('CLAIMS_REDIS');
export const LEASE_TTL_MS = 60_000;
const CANDIDATE_TTL_MS = 3_000;

interface Candidate {
  credentialId: string;
  identityKey: string;
  provider: Provider;
}

const ALLOWED_CALLERS: Record<ClaimRequest['purpose'], string> = {
  backup: 'backup-worker',
  restore: 'backup-worker',
  discovery: 'org-service',
  validation: 'credential-service',
};

/**
 * The claim protocol: before every provider call a caller gets a lease on one credential the
 * purpose may use, from a budget with room, or a time to come back. Budgets are keyed by
 * (provider host, identity, resource) — shared by every organization and tenant using that identity.
 */
@Injectable()
export class ClaimsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Claims');
  private readonly ledger: BudgetLedger;
  private readonly settings: BudgetSettings;
  private readonly reserveFraction: number;
  private readonly ledgerSettings: ClaimCandidates['ledger'];
  private readonly eligibleCache = new Map<string, { at: number; list: Promise<Candidate[]> }>();
  private readonly validationCalls = new ValidationCalls();

  constructor(
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
    @Inject(CLAIMS_REDIS) private readonly redis: Redis,
    private readonly plans: PlanPolicyClient,
    private readonly runScopes: RunScopeClient,
    private readonly producer: JobProducer,
    private readonly metrics: ClaimsMetrics,
    @Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig,
  ) {
    this.ledgerSettings = { prefix: `${config.REPOVAULT_QUEUE_PREFIX}:claims`, leaseTtlMs: LEASE_TTL_MS, burstFraction: config.REPOVAULT_PACING_BURST_PERCENT / 100 };
    this.ledger = new BudgetLedger(redis, this.ledgerSettings.prefix, LEASE_TTL_MS, this.ledgerSettings.burstFraction);
    this.settings = {
      ...DEFAULT_BUDGET_SETTINGS,
      githubConcurrency: config.REPOVAULT_GITHUB_CONCURRENCY,
      gitlabIpLimitPerMinute: config.REPOVAULT_GITLAB_IP_LIMIT_PER_MINUTE,
      bitbucketCloudLimitPerHour: config.REPOVAULT_BITBUCKET_CLOUD_LIMIT_PER_HOUR,
      rateWindowScale: config.REPOVAULT_RATE_WINDOW_SCALE,
    };
    this.reserveFraction = config.REPOVAULT_BUDGET_RESERVE_PERCENT / 100;
    metrics.attach(this.ledger);
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  /**
   * The credentials a call may use and the budgets each draws from, so a worker can claim straight
   * from the shared Redis budgets with the same scripts (no round trip per call).
   */
  async candidates(tenantId: string, caller: InternalCaller, request: ClaimRequest): Promise<ClaimCandidates> {
    await this.assertMayClaim(tenantId, caller, request);
    const candidates = await this.eligible(tenantId, request);
    const provider = candidates[0]?.provider;
    if (!provider) {
      throw ProblemException.unprocessable('no-eligible-credential', 'No valid credential may be used for this call: check the organization\'s credentials and the plan\'s additional credentials.');
    }
    return {
      provider,
      ledger: this.ledgerSettings,
      candidates: candidates.map((c) => ({ credentialId: c.credentialId, identityKey: c.identityKey, keys: this.keysFor(c, request.resource) })),
      ttlMs: CANDIDATE_TTL_MS,
    };
  }

  /** A worker saw a 401 for this credential while claiming on its own. */
  async reportUnauthorized(tenantId: string, credentialId: string): Promise<void> {
    await this.invalidate(tenantId, credentialId);
  }

  private async assertMayClaim(tenantId: string, caller: InternalCaller, request: ClaimRequest): Promise<void> {
    if (ALLOWED_CALLERS[request.purpose] !== caller.service) {
      throw ProblemException.forbidden(`${caller.service} may not claim for ${request.purpose}.`);
    }
    if (request.purpose === 'backup') await this.assertRunOfCallersPool(tenantId, caller, request);
  }

  /**
   * A worker claims only for runs of its own pool: the pool its token is bound to
   * (`backup-worker:<pool>=token` in REPOVAULT_PEER_TOKENS), or the default pool for a token bound to none.
   */
  private async assertRunOfCallersPool(tenantId: string, caller: InternalCaller, request: ClaimRequest): Promise<void> {
    if (!request.runId || !request.planId) {
      throw ProblemException.forbidden('A backup claim must name its run and plan.');
    }
    const scope = await this.runScopes.scope(tenantId, request.runId);
    if (scope.planId !== request.planId || scope.organizationId !== request.organizationId) {
      throw ProblemException.forbidden('The run belongs to another plan or organization than the claim names.');
    }
    const pool = workerPoolOf(caller);
    if (scope.workerPool !== pool) {
      throw ProblemException.forbidden(`A worker of the "${pool}" pool may not claim for a run of the "${scope.workerPool}" pool.`);
    }
  }

  async claim(tenantId: string, caller: InternalCaller, request: ClaimRequest): Promise<ClaimResponse> {
    await this.assertMayClaim(tenantId, caller, request);
    const candidates = await this.eligible(tenantId, request);
    if (candidates.length === 0) {
      throw ProblemException.unprocessable('no-eligible-credential', 'No valid credential may be used for this call: check the organization\'s credentials and the plan\'s additional credentials.');
    }
    const result = await this.ledger.claim(
      candidates.map((c) => ({ credentialId: c.credentialId, keys: this.keysFor(c, request.resource) })),
      { runId: request.runId, preferBudgetKey: request.preferIdentity ? this.ledger.budgetKey(request.preferIdentity, request.resource) : undefined },
    );
    if (!result.granted) {
      this.metrics.waited(result.retryAt, result.reason);
      return { granted: false, retryAt: new Date(result.retryAt).toISOString(), reason: result.reason };
    }
    this.metrics.granted(result.credentialId, result.budgetKey, request.resource);
    const chosen = candidates.find((x) => x.credentialId === result.credentialId);
    return {
      granted: true, leaseId: result.leaseId, budgetKey: result.budgetKey, credentialId: result.credentialId,
      identityKey: chosen?.identityKey ?? '', expiresAt: new Date(result.expiresAt).toISOString(),
    };
  }

  async complete(tenantId: string, body: CompleteBody): Promise<void> {
    const provider = this.providerOfBudget(body.budgetKey);
    const headers = budgetRules(provider, this.settings).parse(body.status, lowerCase(body.headers));
    const done = {
      leaseId: body.leaseId, budgetKey: body.budgetKey, runId: body.runId, status: body.status, headers,
      notModified: body.notModified, secondaryLimit: body.secondaryLimit, waitedMs: body.waitedMs,
    };
    const ipKey = headers.scope === 'ip' ? await this.ipKeyOf(tenantId, body.credentialId) : undefined;
    if (ipKey) await this.ledger.completeElsewhere(done, ipKey);
    else await this.ledger.complete(done);
    if (body.status === 403 || body.status === 429) this.metrics.refused(body.credentialId);
    if (body.status === 401) await this.invalidate(tenantId, body.credentialId);
    else void this.touch(body.credentialId);
  }

  renew(leaseId: string, budgetKey: string): Promise<boolean> {
    return this.ledger.renew(leaseId, budgetKey);
  }

  usage(runId: string): Promise<CredentialUsage> {
    return this.ledger.usage(runId);
  }

  /**
   * Validation calls happen before a credential's identity is known: they are claimed too, on a
   * conservative provisional budget of their own (per secret, 30 calls a minute, 2 at a time).
   */
  validationFetch(secret: string, egress: ProviderFetch): ProviderFetch {
    const fingerprint = secretFingerprint(secret);
    const key = this.ledger.budgetKey(`provisional:${fingerprint}`, 'validation');
    const candidate = { credentialId: 'validation', keys: [{ key, model: 'window' as const, concurrency: 2, windowMs: 60_000, defaultLimit: 30, reserveFraction: 0, refillPerMs: 0 }] };
    return async (url, init) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const lease = await this.ledger.claim([candidate]);
        if (lease.granted) {
          this.validationCalls.record(fingerprint, new URL(url).pathname);
          try {
            const response = await egress(url, init);
            await this.ledger.complete({ leaseId: lease.leaseId, budgetKey: key, status: response.status, headers: {} }).catch(() => undefined);
            return response;
          } catch (error) {
            await this.ledger.complete({ leaseId: lease.leaseId, budgetKey: key, status: 599, headers: {} }).catch(() => undefined);
            throw error;
          }
        }
        if (lease.retryAt > deadline) throw ProblemException.unavailable('validation-throttled', 'Too many validation attempts for this token; try again in a minute.');
        await new Promise((resolve) => setTimeout(resolve, Math.max(5, lease.retryAt - Date.now())));
      }
    };
  }

  /**
   * Once validation named the identity, the calls it made are charged to that identity's budgets
   * (and shared ones, such as GitLab's per-IP aggregate): providers that send no remaining count
   * (Bitbucket Cloud) would otherwise see them only as refusals.
   */
  async chargeValidationCalls(provider: Provider, secret: string, identityKey: string): Promise<void> {
    const calls = this.validationCalls.take(secretFingerprint(secret));
    const support = providerSupport(provider);
    const byResource = new Map<string, number[]>();
    for (const call of calls) {
      const resource = support.resourceOf(call.path);
      byResource.set(resource, [...(byResource.get(resource) ?? []), call.at]);
    }
    for (const [resource, calledAt] of byResource) {
      await this.ledger.charge(this.keysFor({ credentialId: 'validation', identityKey, provider }, resource), calledAt).catch((error: unknown) => {
        this.logger.warn({ err: error }, 'validation calls could not be charged to the identity');
      });
    }
  }

  private async ipKeyOf(tenantId: string, credentialId: string): Promise<string | undefined> {
    const credential = await this.credentials.findOneBy({ id: credentialId, tenantId });
    if (!credential?.identityKey) return undefined;
    return this.keysFor({ credentialId, identityKey: credential.identityKey, provider: credential.provider }, 'api').find((k) => k.key.includes(':ip:'))?.key;
  }

  /** The limits a call must fit in: the identity's budget (leases live there), then shared ones. */
  private keysFor(candidate: Candidate, resource: string): BudgetKeySpec[] {
    const rules = budgetRules(candidate.provider, this.settings);
    const host = candidate.identityKey.split(':')[1] ?? 'unknown';
    return rules.limits(resource).map((limit) => ({
      key: limit.scope === 'identity'
        ? this.ledger.budgetKey(candidate.identityKey, limit.name)
        : this.ledger.budgetKey(`${candidate.provider}:${host}:ip`, limit.name),
      model: limit.model,
      concurrency: rules.concurrency,
      windowMs: limit.windowMs,
      defaultLimit: limit.defaultLimit,
      reserveFraction: this.reserveFraction,
      refillPerMs: limit.refillPerMs,
    }));
  }

  /** The main credential, plus for a run the plan's enabled additional ones; only valid ones. */
  private eligible(tenantId: string, request: ClaimRequest): Promise<Candidate[]> {
    // per run, as the workers' cache is: a run started right after its plan changed uses the plan as it is now
    const key = `${tenantId}/${request.organizationId}/${request.purpose}/${request.planId ?? ''}/${request.runId ?? ''}`;
    const hit = this.eligibleCache.get(key);
    if (hit && Date.now() - hit.at < CANDIDATE_TTL_MS) return hit.list;
    const list = this.loadEligible(tenantId, request);
    this.eligibleCache.set(key, { at: Date.now(), list });
    list.catch(() => this.eligibleCache.delete(key));
    return list;
  }

  private async loadEligible(tenantId: string, request: ClaimRequest): Promise<Candidate[]> {
    const live = await this.credentials.findBy({ tenantId, organizationId: request.organizationId, removedAt: IsNull(), status: 'valid' });
    let enabled = new Set<string>();
    if ((request.purpose === 'backup' || request.purpose === 'restore') && request.planId) {
      const policy = await this.plans.policy(tenantId, request.planId);
      if (policy.organizationId !== request.organizationId) throw ProblemException.forbidden('The plan belongs to another organization.');
      if (policy.additionalCredentials.enabled) enabled = new Set(policy.additionalCredentials.credentialIds);
    }
    return live
      .filter((c) => c.identityKey && (c.role === 'main' || enabled.has(c.id)))
      .map((c) => ({ credentialId: c.id, identityKey: c.identityKey ?? '', provider: c.provider }));
  }

  private async invalidate(tenantId: string, credentialId: string): Promise<void> {
    const credential = await this.credentials.findOneBy({ id: credentialId, tenantId });
    if (!credential || credential.status === 'invalid') return;
    await this.credentials.update({ id: credentialId }, { status: 'invalid', statusReason: 'the provider answered 401 (bad credentials) during a backup' });
    this.eligibleCache.clear();
    this.logger.warn({ credentialId }, 'credential invalidated by a 401');
    await this.producer.publish({ type: 'credential.invalidated', tenantId, organizationId: credential.organizationId, credentialId, reason: 'unauthorized' });
  }

  private readonly touched = new Map<string, number>();
  /** lastUsedAt, written at most once a minute per credential */
  private async touch(credentialId: string): Promise<void> {
    const last = this.touched.get(credentialId) ?? 0;
    if (Date.now() - last < 60_000) return;
    this.touched.set(credentialId, Date.now());
    await this.credentials.update({ id: credentialId }, { lastUsedAt: new Date() }).catch(() => undefined);
  }

  /** budget keys end with `<provider>:<host>:<kind>:<id>:<resource>` */
  private providerOfBudget(budgetKey: string): Provider {
    const match = /:budget:([a-z-]+):/.exec(budgetKey);
    return (match?.[1] ?? 'github') as Provider;
  }
}

/** The pool a worker token serves; a token bound to no pool serves the default one. */
export function workerPoolOf(caller: InternalCaller): string {
  return caller.pool ?? DEFAULT_WORKER_POOL;
}

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 32);
}

/** Validation calls per secret fingerprint until their identity is known (kept two minutes at most). */
class ValidationCalls {
  private readonly calls = new Map<string, { at: number; path: string }[]>();

  record(fingerprint: string, path: string): void {
    const now = Date.now();
    for (const [key, list] of this.calls) if ((list[list.length - 1]?.at ?? 0) < now - 120_000) this.calls.delete(key);
    const list = this.calls.get(fingerprint) ?? [];
    if (list.length < 100) list.push({ at: now, path });
    this.calls.set(fingerprint, list);
  }

  take(fingerprint: string): { at: number; path: string }[] {
    const list = this.calls.get(fingerprint) ?? [];
    this.calls.delete(fingerprint);
    return list;
  }
}
