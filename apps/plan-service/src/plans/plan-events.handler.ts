import { Injectable } from '@nestjs/common';
import type { EventOf } from '@repovault/contracts/jobs';
import { HandlesEvent } from '@repovault/platform/queue';
import { PlansService } from './plans.service';

/** What other services tell plan-service: organizations come and go, credentials are removed. */
@Injectable()
export class PlanEventsHandler {
  constructor(private readonly plans: PlansService) {}

  @HandlesEvent('organization.created')
  async organizationCreated(event: EventOf<'organization.created'>): Promise<void> {
    await this.plans.createDefault(event.tenantId, event.organizationId);
  }

  @HandlesEvent('organization.deleted')
  async organizationDeleted(event: EventOf<'organization.deleted'>): Promise<void> {
    await this.plans.removeOrganizationPlans(event.tenantId, event.organizationId);
  }

  @HandlesEvent('credential.removed')
  async credentialRemoved(event: EventOf<'credential.removed'>): Promise<void> {
    await this.plans.dropCredential(event.tenantId, event.credentialId);
  }
}
