import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import type { RestoreRecord, RestoreWork } from '@repovault/contracts/internal-api';
import { InternalRoute, ListQuery, type Page, ProblemException, TenantId, UuidParam, limitOf } from '@repovault/platform/http';
import { CreateRestoreBody, RestoreProgressBody } from './restores.dto';
import { RestoresService } from './restores.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@Controller('internal/restores')
export class RestoresController {
  constructor(private readonly restores: RestoresService) {}

  @Post()
  @HttpCode(202)
  @InternalRoute('api-gateway')
  create(@TenantId() tenantId: string, @Body() body: CreateRestoreBody, @Headers('idempotency-key') key?: string): Promise<RestoreRecord> {
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) throw ProblemException.badRequest('The Idempotency-Key header must be 1-200 visible ASCII characters.');
    return this.restores.create(tenantId, body, key);
  }

  @Get()
  @InternalRoute('api-gateway')
  list(@TenantId() tenantId: string, @Query() query: ListQuery): Promise<Page<RestoreRecord>> {
    return this.restores.list(tenantId, limitOf(query), query.cursor);
  }

  @Get(':id')
  @InternalRoute('api-gateway', 'backup-worker')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RestoreRecord> {
    return this.restores.get(tenantId, id);
  }

  /** The worker's view of a restore; the first call marks it running. */
  @Get(':id/work')
  @InternalRoute('backup-worker')
  work(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<RestoreWork> {
    return this.restores.work(tenantId, id);
  }

  @Post(':id/progress')
  @HttpCode(200)
  @InternalRoute('backup-worker')
  progress(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Body() body: RestoreProgressBody): Promise<RestoreRecord> {
    return this.restores.progress(tenantId, id, body);
  }
}
