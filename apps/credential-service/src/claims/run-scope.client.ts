import { Inject, Injectable } from '@nestjs/common';
import type { RunClaimScope } from '@repovault/contracts/internal-api';
import { InternalHttpClient, ProblemException, ServiceUnreachableError, UpstreamProblemError } from '@repovault/platform/http';
import { CREDENTIAL_SERVICE_CONFIG, type CredentialServiceConfig } from '../config/credential-service.config';

/** A run's pool never changes, so answers are kept for a while (bounded, oldest dropped first). */
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 10_000;

/** Which plan, organization and worker pool a run belongs to, from plan-service (its owner). */
@Injectable()
export class RunScopeClient {
  private readonly client: InternalHttpClient;
  private readonly cache = new Map<string, { at: number; scope: Promise<RunClaimScope> }>();

  constructor(@Inject(CREDENTIAL_SERVICE_CONFIG) config: CredentialServiceConfig) {
    this.client = new InternalHttpClient('plan-service', config.REPOVAULT_PLAN_SERVICE_URL, config.REPOVAULT_SERVICE_TOKEN);
  }

  scope(tenantId: string, runId: string): Promise<RunClaimScope> {
    const key = `${tenantId}/${runId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.scope;
    const scope = this.client.get<RunClaimScope>(`/internal/runs/${runId}/claim-scope`, { tenantId, timeoutMs: 5_000 }).catch((error: unknown) => {
      if (error instanceof UpstreamProblemError && error.problem.status === 404) {
        throw ProblemException.forbidden('The run named by this claim does not exist.');
      }
      if (error instanceof ServiceUnreachableError) {
        throw ProblemException.unavailable('plan-service-unavailable', 'The run\'s worker pool cannot be checked right now; try again shortly.');
      }
      throw error;
    });
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { at: Date.now(), scope });
    scope.catch(() => this.cache.delete(key));
    return scope;
  }
}
