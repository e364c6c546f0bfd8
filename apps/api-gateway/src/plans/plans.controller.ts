import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import {
  ApiAcceptedResponse, ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags,
} from '@nestjs/swagger';
import type { PlanRecord, RunRecord } from '@repovault/contracts/internal-api';
import { type Page, ProblemException, UuidParam } from '@repovault/platform/http';
import { Principal } from '../auth/gateway-auth.guard';
import { AllowRoles, type ApiPrincipal, BackupOperators, Readers } from '../auth/roles';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { toRunView } from '../runs/run-views';
import { RunView } from '../runs/runs.dto';
import { UpstreamClients } from '../upstream/upstream-clients';
import { toPlanView } from './plan-views';
import { CreatePlanRequest, PlanListQuery, PlanPage, PlanView, UpdatePlanRequest } from './plans.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('plans')
@ApiBearerAuth()
@Controller('v1/plans')
export class PlansController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post()
  @AllowRoles(BackupOperators)
  @ApiOperation({ operationId: 'createPlan', summary: 'Create a backup plan for an organization' })
  @ApiCreatedResponse({ type: PlanView })
  @ApiErrors(400, 401, 403, 404, 422)
  async create(@Principal() p: ApiPrincipal, @Body() body: CreatePlanRequest): Promise<PlanView> {
    return toPlanView(await this.upstream.plan.post<PlanRecord>('/internal/plans', { tenantId: p.tenantId, body }));
  }

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listPlans', summary: 'List plans' })
  @ApiOkResponse({ type: PlanPage })
  @ApiErrors(400, 401)
  async list(@Principal() p: ApiPrincipal, @Query() query: PlanListQuery): Promise<PlanPage> {
    const page = await this.upstream.plan.get<Page<PlanRecord>>('/internal/plans', {
      tenantId: p.tenantId,
      query: { organizationId: query.organizationId, limit: query.limit, cursor: query.cursor },
    });
    return { items: page.items.map(toPlanView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getPlan', summary: 'A plan, with warnings and its next run time' })
  @ApiOkResponse({ type: PlanView })
  @ApiErrors(400, 401, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<PlanView> {
    return toPlanView(await this.upstream.plan.get<PlanRecord>(`/internal/plans/${id}`, { tenantId: p.tenantId }));
  }

  @Patch(':id')
  @AllowRoles(BackupOperators)
  @ApiOperation({ operationId: 'updatePlan', summary: 'Change a plan (the fields given); schedule null makes it manual-only' })
  @ApiOkResponse({ type: PlanView })
  @ApiErrors(400, 401, 403, 404, 422)
  async update(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Body() body: UpdatePlanRequest): Promise<PlanView> {
    return toPlanView(await this.upstream.plan.patch<PlanRecord>(`/internal/plans/${id}`, { tenantId: p.tenantId, body }));
  }

  @Delete(':id')
  @HttpCode(204)
  @AllowRoles(BackupOperators)
  @ApiOperation({ operationId: 'deletePlan', summary: "Delete a plan and its schedule; its snapshots stay (an organization's default plan cannot be deleted: 409)" })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(400, 401, 403, 404, 409)
  async remove(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<void> {
    await this.upstream.plan.delete(`/internal/plans/${id}`, { tenantId: p.tenantId });
  }

  @Post(':id/runs')
  @HttpCode(202)
  @AllowRoles(BackupOperators)
  @ApiOperation({ operationId: 'startRun', summary: 'Run now' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried request with the same key returns the first run instead of starting another' })
  @ApiAcceptedResponse({ type: RunView })
  @ApiErrors(400, 401, 403, 404, 422)
  async start(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Req() request: Request): Promise<RunView> {
    // read from the request, not @Headers(): the decorator would document the header as required
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw ProblemException.badRequest('The Idempotency-Key header must be 1-200 visible ASCII characters.', [{ field: 'Idempotency-Key', message: 'use 1-200 visible ASCII characters, e.g. a UUID' }]);
    }
    return toRunView(await this.upstream.plan.post<RunRecord>(`/internal/plans/${id}/runs`, { tenantId: p.tenantId, headers: key === undefined ? undefined : { 'idempotency-key': key } }));
  }
}
