import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ClaimRequest, ClaimResponse, CredentialUsage, Provider } from '@repovault/contracts/internal-api';
import { ProblemException, type InternalCaller } from '@repovault/platform/http';
import { JobProducer } from '@repovault/platform/queue';
import type { Redis } from 'ioredis';
import { IsNull, type Repository } from 'typeorm';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';
import { CredentialEntity } from '../credentials/credential.entity';
import { type BudgetSettings, budgetRules } from './budget-model';
import type { BudgetKeySpec } from './budget-ledger';
import { BudgetLedger } from './budget-ledger';
import type { CompleteBody } from './claims.dto';
import { PlanPolicyClient } from './plan-policy.client';

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
  private readonly candidates = new Map<string, { at: number; list: Promise<Candidate[]> }>();

  constructor(
    @InjectRepository(CredentialEntity) private readonly credentials: Repository<CredentialEntity>,
    @Inject(CLAIMS_REDIS) private readonly redis: Redis,
    private readonly plans: PlanPolicyClient,
    private readonly producer: JobProducer,
    @Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig,
  ) {
    this.ledger = new BudgetLedger(redis, `${config.REPOVAULT_QUEUE_PREFIX}:claims`, LEASE_TTL_MS, config.REPOVAULT_PACING_BURST_PERCENT / 100);
    this.settings = { githubConcurrency: config.REPOVAULT_GITHUB_CONCURRENCY };
    this.reserveFraction = config.REPOVAULT_BUDGET_RESERVE_PERCENT / 100;
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  async claim(tenantId: string, caller: InternalCaller, request: ClaimRequest): Promise<ClaimResponse> {
    if (ALLOWED_CALLERS[request.purpose] !== caller.service) {
      throw ProblemException.forbidden(`${caller.service} may not claim for ${request.purpose}.`);
    }
    const candidates = await this.eligible(tenantId, request);
    if (candidates.length === 0) {
      throw ProblemException.unprocessable('no-eligible-credential', 'No valid credential may be used for this call: check the organization\'s credentials and the plan\'s additional credentials.');
    }
    const result = await this.ledger.claim(
      candidates.map((c) => ({ credentialId: c.credentialId, keys: this.keysFor(c, request.resource) })),
      { runId: request.runId, preferBudgetKey: request.preferIdentity ? this.ledger.budgetKey(request.preferIdentity, request.resource) : undefined },
    );
    if (!result.granted) return { granted: false, retryAt: new Date(result.retryAt).toISOString(), reason: result.reason };
    const chosen = candidates.find((x) => x.credentialId === result.credentialId);
    return {
      granted: true, leaseId: result.leaseId, budgetKey: result.budgetKey, credentialId: result.credentialId,
      identityKey: chosen?.identityKey ?? '', expiresAt: new Date(result.expiresAt).toISOString(),
    };
  }

  async complete(tenantId: string, body: CompleteBody): Promise<void> {
    const provider = this.providerOfBudget(body.budgetKey);
    await this.ledger.complete({
      leaseId: body.leaseId,
      budgetKey: body.budgetKey,
      runId: body.runId,
      status: body.status,
      headers: budgetRules(provider, this.settings).parse(body.status, lowerCase(body.headers)),
      notModified: body.notModified,
      secondaryLimit: body.secondaryLimit,
      waitedMs: body.waitedMs,
    });
    if (body.status === 401) await this.invalidate(tenantId, body.credentialId);
    else void this.touch(body.credentialId);
  }

  renew(leaseId: string, budgetKey: string): Promise<boolean> {
    return this.ledger.renew(leaseId, budgetKey);
  }

  usage(runId: string): Promise<CredentialUsage> {
    return this.ledger.usage(runId);
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
    const key = `${tenantId}/${request.organizationId}/${request.purpose}/${request.planId ?? ''}`;
    const hit = this.candidates.get(key);
    if (hit && Date.now() - hit.at < CANDIDATE_TTL_MS) return hit.list;
    const list = this.loadEligible(tenantId, request);
    this.candidates.set(key, { at: Date.now(), list });
    list.catch(() => this.candidates.delete(key));
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
    this.candidates.clear();
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

function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
