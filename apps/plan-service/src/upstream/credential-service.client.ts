import { Inject, Injectable, Logger } from '@nestjs/common';
import type { CredentialRecord, CredentialUsage } from '@repovault/contracts/internal-api';
import { InternalHttpClient } from '@repovault/platform/http';
import { PLAN_SERVICE_CONFIG, type PlanServiceConfig } from '../config/plan-service.config';

export const NO_USAGE: CredentialUsage = { total: 0, byCredential: {}, waitMs: 0, refusals: 0 };

/** credential-service, as plan-service reads it: an organization's credentials and a run's API usage. */
@Injectable()
export class CredentialServiceClient {
  private readonly logger = new Logger('CredentialServiceClient');
  private readonly client: InternalHttpClient;

  constructor(@Inject(PLAN_SERVICE_CONFIG) config: PlanServiceConfig) {
    this.client = new InternalHttpClient('credential-service', config.REPOVAULT_CREDENTIAL_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  /** Live credentials (main and additional) of an organization. */
  credentials(tenantId: string, organizationId: string): Promise<CredentialRecord[]> {
    return this.client.get(`/internal/organizations/${organizationId}/credentials`, { tenantId });
  }

  /** API calls and throttling of a run; zeros when credential-service does not know the run or cannot be reached. */
  async usage(tenantId: string, runId: string): Promise<CredentialUsage> {
    try {
      const usage = await this.client.get<Partial<CredentialUsage> | undefined>(`/internal/runs/${runId}/usage`, { tenantId, timeoutMs: 3_000 });
      return {
        total: usage?.total ?? 0,
        byCredential: usage?.byCredential ?? {},
        waitMs: usage?.waitMs ?? 0,
        refusals: usage?.refusals ?? 0,
      };
    } catch (error) {
      this.logger.debug({ runId, err: error }, 'run usage unavailable; reporting zeros');
      return NO_USAGE;
    }
  }
}
