import { Injectable, Logger } from '@nestjs/common';
import { isProviderSupported, providerSupport } from '@repovault/providers/catalog';
import { JobName, type JobOf } from '@repovault/contracts/jobs';
import { type JobContext, HandlesJob, JobProducer } from '@repovault/platform/queue';
import { ServiceClients } from '../clients/service-clients';
import { dependency } from './dependency-calls';
import { RepositoryBackup } from './repository-backup';

const REPOSITORY_ATTEMPTS = 3;

@Injectable()
export class BackupJobsHandler {
  private readonly logger = new Logger('BackupJobsHandler');

  constructor(
    private readonly clients: ServiceClients,
    private readonly producer: JobProducer,
    private readonly backup: RepositoryBackup,
  ) {}

  /** A run fans out into one job per repository, with ids derived from run and repository. */
  @HandlesJob(JobName.RunStart)
  async startRun(job: JobOf<typeof JobName.RunStart>): Promise<void> {
    const work = await dependency(() => this.clients.runWork(job.tenantId, job.runId, 0));
    if (work.status !== 'running' && work.status !== 'queued') return;
    await this.relist(job.tenantId, work.organizationId);
    await this.producer.enqueueMany(
      work.repositoryIds.map((repositoryId) => ({
        job: { name: JobName.RepositoryBackup, data: { tenantId: job.tenantId, runId: job.runId, repositoryId } },
        jobId: `run-${job.runId}-repo-${repositoryId}`,
      })),
      { pool: work.workerPool, attempts: REPOSITORY_ATTEMPTS, backoff: { type: 'exponential', delay: 2_000 } },
    );
  }

  /**
   * The run's listing, for providers whose incremental exports read activity from it. A listing
   * that fails leaves the inventory as the last sync saw it: repositories are still backed up (their
   * exports then ask the provider rather than trust stale activity fields).
   */
  private async relist(tenantId: string, organizationId: string): Promise<void> {
    const organization = await dependency(() => this.clients.organization(tenantId, organizationId));
    if (!isProviderSupported(organization.provider) || !providerSupport(organization.provider).listingPerRun) return;
    try {
      await this.clients.relistRepositories(tenantId, organizationId);
    } catch (error) {
      this.logger.warn({ organizationId, err: error }, 'the run could not list the repositories afresh; using the last sync');
    }
  }

  @HandlesJob(JobName.RepositoryBackup)
  async backupRepository(job: JobOf<typeof JobName.RepositoryBackup>, context: JobContext): Promise<void> {
    await this.backup.run(job, context);
  }
}
