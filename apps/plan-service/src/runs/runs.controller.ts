import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { RunClaimScope, RunRecord, RunRepositoryRecord, RunWork } from '@repovault/contracts/internal-api';
import { InternalRoute, ListQuery, type Page, TenantId, UuidParam, limitOf } from '@repovault/platform/http';
import { IsOptional, IsUUID } from 'class-validator';
import { RepositoryResultBody } from './run-progress.dto';
import { RunProgressService } from './run-progress.service';
import { RunsService } from './runs.service';

export class RunListQuery extends ListQuery {
  @IsOptional() @IsUUID() planId?: string;
}

@Controller('internal/runs')
export class RunsController {
  constructor(private readonly runs: RunsService, private readonly progress: RunProgressService) {}

  @Get()
  @InternalRoute('api-gateway')
  list(@TenantId() tenantId: string, @Query() query: RunListQuery): Promise<Page<RunRecord>> {
    return this.runs.list(tenantId, limitOf(query), query.cursor, query.planId);
  }

  @Get(':id')
  @InternalRoute('api-gateway', 'backup-worker')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RunRecord> {
    return this.runs.get(tenantId, id);
  }

  @Get(':id/repositories')
  @InternalRoute('api-gateway')
  repositories(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Query() query: ListQuery): Promise<Page<RunRepositoryRecord>> {
    return this.runs.repositories(tenantId, id, limitOf(query), query.cursor);
  }

  @Post(':id/cancel')
  @HttpCode(202)
  @InternalRoute('api-gateway')
  cancel(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RunRecord> {
    return this.runs.cancel(tenantId, id);
  }

  /** credential-service: which pool's workers may claim for this run. */
  @Get(':id/claim-scope')
  @InternalRoute('credential-service')
  async claimScope(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RunClaimScope> {
    const run = await this.runs.entity(tenantId, id);
    return { runId: run.id, planId: run.planId, organizationId: run.organizationId, workerPool: run.workerPool };
  }

  /** The worker's view of a run; the first call fixes the repository list and starts the run. */
  @Get(':id/work')
  @InternalRoute('backup-worker')
  work(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RunWork> {
    return this.progress.work(tenantId, id);
  }

  @Post(':runId/repositories/:repositoryId/started')
  @HttpCode(200)
  @InternalRoute('backup-worker')
  started(
    @TenantId() tenantId: string,
    @Param('runId', UuidParam()) runId: string,
    @Param('repositoryId', UuidParam()) repositoryId: string,
  ): Promise<RunRepositoryRecord> {
    return this.progress.started(tenantId, runId, repositoryId);
  }

  @Post(':runId/repositories/:repositoryId/result')
  @HttpCode(200)
  @InternalRoute('backup-worker')
  result(
    @TenantId() tenantId: string,
    @Param('runId', UuidParam()) runId: string,
    @Param('repositoryId', UuidParam()) repositoryId: string,
    @Body() body: RepositoryResultBody,
  ): Promise<RunRepositoryRecord> {
    return this.progress.result(tenantId, runId, repositoryId, body);
  }
}
