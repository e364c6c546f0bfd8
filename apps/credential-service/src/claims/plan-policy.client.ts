import { Inject, Injectable } from '@nestjs/common';
import type { PlanCredentialPolicy } from '@repovault/contracts/internal-api';
import { InternalHttpClient } from '@repovault/platform/http';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';

/**
 * Which additional credentials a plan enables, from plan-service (their owner). Not cached here:
 * ClaimsService reuses a run's eligible credentials for a few seconds, and a second cache keyed by
 * plan only made a run started right after a plan change see the plan as it was.
 */
@Injectable()
export class PlanPolicyClient {
  private readonly client: InternalHttpClient;

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig) {
    this.client = new InternalHttpClient('plan-service', config.REPOVAULT_PLAN_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  policy(tenantId: string, planId: string): Promise<PlanCredentialPolicy> {
    return this.client.get<PlanCredentialPolicy>(`/internal/plans/${planId}/credential-policy`, { tenantId, timeoutMs: 5_000 });
  }
}
