import { Injectable } from '@nestjs/common';
import { type EventOf, JobName, type JobOf } from '@repovault/contracts/jobs';
import { ProblemException } from '@repovault/platform/http';
import { HandlesEvent, HandlesJob, PermanentJobError } from '@repovault/platform/queue';
import { OrganizationsService } from '../organizations/organizations.service';

@Injectable()
export class OrganizationSyncHandler {
  constructor(private readonly organizations: OrganizationsService) {}

  /** Scheduled or requested discovery. */
  @HandlesJob(JobName.OrganizationSync)
  async sync(job: JobOf<typeof JobName.OrganizationSync>): Promise<void> {
    let entity;
    try {
      entity = await this.organizations.entity(job.tenantId, job.organizationId);
    } catch (error) {
      if (error instanceof ProblemException && error.problem.status === 404) throw new PermanentJobError('organization no longer exists');
      throw error;
    }
    await this.organizations.syncNow(entity);
  }

  @HandlesEvent('default-plan.created')
  async defaultPlanCreated(event: EventOf<'default-plan.created'>): Promise<void> {
    await this.organizations.setDefaultPlan(event.tenantId, event.organizationId, event.planId);
  }

  @HandlesEvent('credential.invalidated')
  async credentialInvalidated(event: EventOf<'credential.invalidated'>): Promise<void> {
    await this.organizations.noteInvalidCredential(event.tenantId, event.organizationId, event.credentialId);
  }
}
