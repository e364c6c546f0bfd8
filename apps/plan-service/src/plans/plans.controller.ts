import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { PlanCredentialPolicy, PlanRecord, RunRecord } from '@repovault/contracts/internal-api';
import { InternalRoute, type Page, ProblemException, TenantId, UuidParam, limitOf } from '@repovault/platform/http';
import { RunsService } from '../runs/runs.service';
import { CreatePlanBody, PlanListQuery, UpdatePlanBody } from './plans.dto';
import { PlansService } from './plans.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Controller('internal/plans')
export class PlansController {
  constructor(private readonly plans: PlansService, private readonly runs: RunsService) {}

  @Post()
  @InternalRoute('api-gateway')
  create(@TenantId() tenantId: string, @Body() body: CreatePlanBody): Promise<PlanRecord> {
    return this.plans.create(tenantId, body);
  }

  @Get()
  @InternalRoute('api-gateway')
  list(@TenantId() tenantId: string, @Query() query: PlanListQuery): Promise<Page<PlanRecord>> {
    return this.plans.list(tenantId, limitOf(query), query.cursor, query.organizationId);
  }

  @Get(':id')
  @InternalRoute('api-gateway')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<PlanRecord> {
    return this.plans.get(tenantId, id);
  }

  @Patch(':id')
  @InternalRoute('api-gateway')
  update(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Body() body: UpdatePlanBody): Promise<PlanRecord> {
    return this.plans.update(tenantId, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @InternalRoute('api-gateway')
  async remove(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.plans.remove(tenantId, id);
  }

  /** "Run now": a retried request with the same Idempotency-Key answers the first run. */
  @Post(':id/runs')
  @HttpCode(202)
  @InternalRoute('api-gateway')
  start(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Headers('idempotency-key') key?: string): Promise<RunRecord> {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw ProblemException.badRequest('The Idempotency-Key header must be 1-200 visible ASCII characters.', [{ field: 'Idempotency-Key', message: 'use 1-200 visible ASCII characters, e.g. a UUID' }]);
    }
    return this.runs.startManual(tenantId, id, key);
  }

  @Get(':id/credential-policy')
  @InternalRoute('credential-service')
  credentialPolicy(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<PlanCredentialPolicy> {
    return this.plans.credentialPolicy(tenantId, id);
  }
}
