import { Inject, Injectable } from '@nestjs/common';
import type {
  OrganizationRecord, RepositoryRecord, RepositoryResultReport, RestoreProgressReport, RestoreWork, RunWork, SnapshotRecord,
} from '@repovault/contracts/internal-api';
import { InternalHttpClient, UpstreamProblemError } from '@repovault/platform/http';
import { BACKUP_WORKER_CONFIG, type BackupWorkerConfig } from '../config/backup-worker.config';

/** The internal APIs the worker calls: plan-service (runs) and org-service (inventory); claims go through the transport. */
@Injectable()
export class ServiceClients {
  readonly plan: InternalHttpClient;
  readonly org: InternalHttpClient;

  constructor(@Inject(BACKUP_WORKER_CONFIG) config: BackupWorkerConfig) {
    const token = config.REPOVAULT_SERVICE_TOKEN;
    this.plan = new InternalHttpClient('plan-service', config.REPOVAULT_PLAN_SERVICE_URL, token);
    this.org = new InternalHttpClient('org-service', config.REPOVAULT_ORG_SERVICE_URL, token);
  }

  private readonly runWorkCache = new Map<string, { at: number; work: Promise<RunWork> }>();
  private readonly organizationCache = new Map<string, { at: number; organization: Promise<OrganizationRecord> }>();

  /** A run's work, shared by its repository jobs on this worker for a few seconds (a cancel shows within that). */
  runWork(tenantId: string, runId: string, maxAgeMs = 3_000): Promise<RunWork> {
    const hit = this.runWorkCache.get(runId);
    if (hit && Date.now() - hit.at < maxAgeMs) return hit.work;
    const work = this.plan.get<RunWork>(`/internal/runs/${runId}/work`, { tenantId });
    this.runWorkCache.set(runId, { at: Date.now(), work });
    work.catch(() => this.runWorkCache.delete(runId));
    if (this.runWorkCache.size > 1_000) this.runWorkCache.clear();
    return work;
  }

  repositoryStarted(tenantId: string, runId: string, repositoryId: string): Promise<void> {
    return this.plan.post(`/internal/runs/${runId}/repositories/${repositoryId}/started`, { tenantId });
  }

  repositoryResult(tenantId: string, runId: string, repositoryId: string, report: RepositoryResultReport): Promise<void> {
    return this.plan.post(`/internal/runs/${runId}/repositories/${repositoryId}/result`, { tenantId, body: report });
  }

  async latestSnapshot(tenantId: string, repositoryId: string): Promise<SnapshotRecord | null> {
    try {
      return await this.plan.get<SnapshotRecord>(`/internal/repositories/${repositoryId}/latest-snapshot`, { tenantId });
    } catch (error) {
      if (error instanceof UpstreamProblemError && error.problem.status === 404) return null;
      throw error;
    }
  }

  /** A restore as the worker runs it (plan-service marks it running on the first call). */
  restoreWork(tenantId: string, restoreId: string): Promise<RestoreWork> {
    return this.plan.get<RestoreWork>(`/internal/restores/${restoreId}/work`, { tenantId });
  }

  restoreProgress(tenantId: string, restoreId: string, report: RestoreProgressReport): Promise<void> {
    return this.plan.post(`/internal/restores/${restoreId}/progress`, { tenantId, body: report });
  }

  repository(tenantId: string, repositoryId: string): Promise<RepositoryRecord> {
    return this.org.get(`/internal/repositories/${repositoryId}`, { tenantId });
  }

  /** The run's listing: org-service lists the organization's repositories upstream now (paced by claims, hence the long wait). */
  async relistRepositories(tenantId: string, organizationId: string): Promise<void> {
    await this.org.post(`/internal/organizations/${organizationId}/discover`, { tenantId, timeoutMs: 10 * 60_000 });
    this.organizationCache.delete(`${tenantId}/${organizationId}`); // its lastSyncedAt moved
  }

  organization(tenantId: string, organizationId: string): Promise<OrganizationRecord> {
    const key = `${tenantId}/${organizationId}`;
    const hit = this.organizationCache.get(key);
    if (hit && Date.now() - hit.at < 10_000) return hit.organization;
    const organization = this.org.get<OrganizationRecord>(`/internal/organizations/${organizationId}`, { tenantId });
    this.organizationCache.set(key, { at: Date.now(), organization });
    organization.catch(() => this.organizationCache.delete(key));
    if (this.organizationCache.size > 1_000) this.organizationCache.clear();
    return organization;
  }
}
