import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ClaimCandidates, ClaimResponse, CredentialUsage } from '@repovault/contracts/internal-api';
import { Caller, type InternalCaller, InternalRoute, ProblemException, TenantId, UuidParam } from '@repovault/platform/http';
import { ClaimBody, CompleteBody, LeaseBody } from './claims.dto';
import { ClaimsService } from './claims.service';

@Controller('internal')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  /** A lease on a credential with budget, or a time to come back. */
  @Post('claims')
  @HttpCode(200)
  @InternalRoute('backup-worker', 'org-service')
  claim(@TenantId() tenantId: string, @Caller() caller: InternalCaller, @Body() body: ClaimBody): Promise<ClaimResponse> {
    return this.claims.claim(tenantId, caller, body);
  }

  /** The credentials and budgets a worker claims from on its own (cached briefly by the worker). */
  @Post('claims/candidates')
  @HttpCode(200)
  @InternalRoute('backup-worker')
  candidates(@TenantId() tenantId: string, @Caller() caller: InternalCaller, @Body() body: ClaimBody): Promise<ClaimCandidates> {
    return this.claims.candidates(tenantId, caller, body);
  }

  @Post('credentials/:credentialId/unauthorized')
  @HttpCode(204)
  @InternalRoute('backup-worker', 'org-service')
  async unauthorized(@TenantId() tenantId: string, @Param('credentialId', UuidParam()) credentialId: string): Promise<void> {
    await this.claims.reportUnauthorized(tenantId, credentialId);
  }

  @Post('claims/complete')
  @HttpCode(204)
  @InternalRoute('backup-worker', 'org-service')
  async complete(@TenantId() tenantId: string, @Body() body: CompleteBody): Promise<void> {
    await this.claims.complete(tenantId, body);
  }

  /** Keeps a lease while a long response streams. */
  @Post('claims/renew')
  @HttpCode(204)
  @InternalRoute('backup-worker', 'org-service')
  async renew(@Body() body: LeaseBody): Promise<void> {
    if (!(await this.claims.renew(body.leaseId, body.budgetKey))) throw new ProblemException(410, 'lease-expired', 'The lease has expired; claim again.');
  }

  @Get('runs/:runId/usage')
  @InternalRoute('plan-service', 'api-gateway')
  usage(@Param('runId', UuidParam()) runId: string): Promise<CredentialUsage> {
    return this.claims.usage(runId);
  }
}
