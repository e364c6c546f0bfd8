import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RunRecord, RunRepositoryRecord } from '@repovault/contracts/internal-api';
import { type Page, UuidParam } from '@repovault/platform/http';
import { Principal } from '../auth/gateway-auth.guard';
import { AllowRoles, type ApiPrincipal, BackupOperators, Readers } from '../auth/roles';
import { PublicListQuery } from '../common/list-query.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { toRunRepositoryView, toRunView } from './run-views';
import { RunListQuery, RunPage, RunRepositoryPage, RunView } from './runs.dto';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listRuns', summary: 'Runs, newest first' })
  @ApiOkResponse({ type: RunPage })
  @ApiErrors(400, 401)
  async list(@Principal() p: ApiPrincipal, @Query() query: RunListQuery): Promise<RunPage> {
    const page = await this.upstream.plan.get<Page<RunRecord>>('/internal/runs', { tenantId: p.tenantId, query: { planId: query.planId, limit: query.limit, cursor: query.cursor } });
    return { items: page.items.map(toRunView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getRun', summary: 'A run: status, repository counts, API calls and throttling' })
  @ApiOkResponse({ type: RunView })
  @ApiErrors(400, 401, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<RunView> {
    return toRunView(await this.upstream.plan.get<RunRecord>(`/internal/runs/${id}`, { tenantId: p.tenantId }));
  }

  @Get(':id/repositories')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listRunRepositories', summary: 'Per-repository results of a run' })
  @ApiOkResponse({ type: RunRepositoryPage })
  @ApiErrors(400, 401, 404)
  async repositories(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Query() query: PublicListQuery): Promise<RunRepositoryPage> {
    const page = await this.upstream.plan.get<Page<RunRepositoryRecord>>(`/internal/runs/${id}/repositories`, { tenantId: p.tenantId, query: { limit: query.limit, cursor: query.cursor } });
    return { items: page.items.map(toRunRepositoryView), nextCursor: page.nextCursor };
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @AllowRoles(BackupOperators)
  @ApiOperation({ operationId: 'cancelRun', summary: 'Cancel a queued or running run; repositories not started are skipped' })
  @ApiAcceptedResponse({ type: RunView })
  @ApiErrors(400, 401, 403, 404, 409)
  async cancel(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<RunView> {
    return toRunView(await this.upstream.plan.post<RunRecord>(`/internal/runs/${id}/cancel`, { tenantId: p.tenantId }));
  }
}
