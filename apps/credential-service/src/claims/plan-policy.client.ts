import { Inject, Injectable } from '@nestjs/common';
import type { PlanCredentialPolicy } from '@repovault/contracts/internal-api';
import { InternalHttpClient } from '@repovault/platform/http';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';

const TTL_MS = 5_000;

/** Which additional credentials a plan enables, from plan-service (their owner), cached briefly. */
@Injectable()
export class PlanPolicyClient {
  private readonly client: InternalHttpClient;
  private readonly cache = new Map<string, { at: number; policy: Promise<PlanCredentialPolicy> }>();

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig) {
    this.client = new InternalHttpClient('plan-service', config.REPOVAULT_PLAN_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  policy(tenantId: string, planId: string): Promise<PlanCredentialPolicy> {
    const key = `${tenantId}/${planId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.policy;
    const policy = this.client.get<PlanCredentialPolicy>(`/internal/plans/${planId}/credential-policy`, { tenantId, timeoutMs: 5_000 });
    this.cache.set(key, { at: Date.now(), policy });
    policy.catch(() => this.cache.delete(key));
    return policy;
  }
}
