import { Injectable } from '@nestjs/common';
import type { EventOf } from '@repovault/contracts/jobs';
import { HandlesEvent } from '@repovault/platform/queue';
import { CredentialsService } from './credentials.service';

@Injectable()
export class CredentialEventsHandler {
  constructor(private readonly credentials: CredentialsService) {}

  @HandlesEvent('organization.deleted')
  async organizationDeleted(event: EventOf<'organization.deleted'>): Promise<void> {
    await this.credentials.revokeOrganization(event.tenantId, event.organizationId);
  }
}
