import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RestoreRecord } from '@repovault/contracts/internal-api';
import { type Page, ProblemException, UuidParam } from '@repovault/platform/http';
import type { Request } from 'express';
import { Principal } from '../auth/gateway-auth.guard';
import { AllowRoles, type ApiPrincipal, Readers, RestoreOperators } from '../auth/roles';
import { PublicListQuery } from '../common/list-query.dto';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { toRestoreView } from './restore-views';
import { CreateRestoreRequest, RestoreItemCountsView, RestorePage, RestoreView } from './restores.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('restores')
@ApiBearerAuth()
@ApiExtraModels(RestoreItemCountsView)
@Controller('v1/restores')
export class RestoresController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Post()
  @HttpCode(202)
  @AllowRoles(RestoreOperators)
  @ApiOperation({
    operationId: 'startRestore',
    summary: 'Restore a snapshot into a new repository, or over the original (mode overwrite, with "confirm": "<full name>")',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retried request with the same key returns the first restore instead of starting another' })
  @ApiAcceptedResponse({ type: RestoreView })
  @ApiErrors(400, 401, 403, 404, 422)
  async start(@Principal() p: ApiPrincipal, @Body() body: CreateRestoreRequest, @Req() request: Request): Promise<RestoreView> {
    // read from the request, not @Headers(): the decorator would document the header as required
    const header = request.headers['idempotency-key'];
    const key = Array.isArray(header) ? header[0] : header;
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw ProblemException.badRequest('The Idempotency-Key header must be 1-200 visible ASCII characters.', [{ field: 'Idempotency-Key', message: 'use 1-200 visible ASCII characters, e.g. a UUID' }]);
    }
    const record = await this.upstream.plan.post<RestoreRecord>('/internal/restores', { tenantId: p.tenantId, body, headers: key === undefined ? undefined : { 'idempotency-key': key } });
    return toRestoreView(record);
  }

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listRestores', summary: 'Restores, newest first' })
  @ApiOkResponse({ type: RestorePage })
  @ApiErrors(400, 401)
  async list(@Principal() p: ApiPrincipal, @Query() query: PublicListQuery): Promise<RestorePage> {
    const page = await this.upstream.plan.get<Page<RestoreRecord>>('/internal/restores', { tenantId: p.tenantId, query: { limit: query.limit, cursor: query.cursor } });
    return { items: page.items.map(toRestoreView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getRestore', summary: 'A restore: status, per-item counts, what was not restored and why, errors' })
  @ApiOkResponse({ type: RestoreView })
  @ApiErrors(400, 401, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<RestoreView> {
    return toRestoreView(await this.upstream.plan.get<RestoreRecord>(`/internal/restores/${id}`, { tenantId: p.tenantId }));
  }
}
