import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { SnapshotRecord } from '@repovault/contracts/internal-api';
import { type Page, UuidParam } from '@repovault/platform/http';
import type { Response as ExpressResponse } from 'express';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { Principal } from '../auth/gateway-auth.guard';
import { AllowRoles, type ApiPrincipal, Readers } from '../auth/roles';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { UpstreamClients } from '../upstream/upstream-clients';
import { toSnapshotView } from './snapshot-views';
import { SnapshotListQuery, SnapshotPage, SnapshotView } from './snapshots.dto';

const METADATA_KINDS = ['issues', 'pull-requests', 'issue-comments', 'review-comments', 'reviews', 'releases', 'release-assets', 'labels', 'milestones'];
/** The internal client's timeout covers the whole body: a multi-GB bundle needs hours, not seconds. */
const STREAM_TIMEOUT_MS = 6 * 3600 * 1000;
const PASSED_HEADERS = ['content-type', 'content-disposition', 'x-repovault-sha256'];

/**
 * plan-service verifies the bytes while they stream and cuts the connection if they turn out
 * corrupt; the cut travels on to the client (no Content-Length, no clean end), so nobody keeps a
 * corrupt file believing it complete. The sha256 header lets the client check what it saved.
 */
function relay(source: Response, res: ExpressResponse): StreamableFile {
  for (const name of PASSED_HEADERS) {
    const value = source.headers.get(name);
    if (value) res.setHeader(name, value);
  }
  const body = source.body ? Readable.fromWeb(source.body as unknown as NodeReadableStream<Uint8Array>) : Readable.from([]);
  return new StreamableFile(body, { type: source.headers.get('content-type') ?? 'application/octet-stream', disposition: source.headers.get('content-disposition') ?? undefined });
}

@ApiTags('snapshots')
@ApiBearerAuth()
@Controller('v1/snapshots')
export class SnapshotsController {
  constructor(private readonly upstream: UpstreamClients) {}

  @Get()
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'listSnapshots', summary: 'Snapshots, newest first' })
  @ApiOkResponse({ type: SnapshotPage })
  @ApiErrors(400, 401)
  async list(@Principal() p: ApiPrincipal, @Query() query: SnapshotListQuery): Promise<SnapshotPage> {
    const page = await this.upstream.plan.get<Page<SnapshotRecord>>('/internal/snapshots', {
      tenantId: p.tenantId,
      query: { repositoryId: query.repositoryId, planId: query.planId, limit: query.limit, cursor: query.cursor },
    });
    return { items: page.items.map(toSnapshotView), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getSnapshot', summary: 'A snapshot: refs, metadata counts and files' })
  @ApiOkResponse({ type: SnapshotView })
  @ApiErrors(400, 401, 404)
  async get(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string): Promise<SnapshotView> {
    return toSnapshotView(await this.upstream.plan.get<SnapshotRecord>(`/internal/snapshots/${id}`, { tenantId: p.tenantId }));
  }

  @Get(':id/bundle')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getSnapshotBundle', summary: 'The git bundle of a snapshot (404 when the repository was empty)' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'the git bundle; X-RepoVault-Sha256 holds its sha256', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiErrors(400, 401, 404)
  async bundle(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Res({ passthrough: true }) res: ExpressResponse): Promise<StreamableFile> {
    return relay(await this.upstream.plan.stream(`/internal/snapshots/${id}/bundle`, { tenantId: p.tenantId, timeoutMs: STREAM_TIMEOUT_MS }), res);
  }

  @Get(':id/metadata/:kind')
  @AllowRoles(Readers)
  @ApiOperation({ operationId: 'getSnapshotMetadata', summary: 'One metadata kind of a snapshot as NDJSON (404 when the snapshot has none of it)' })
  @ApiParam({ name: 'kind', enum: METADATA_KINDS })
  @ApiProduces('application/x-ndjson')
  @ApiOkResponse({ description: 'one JSON record per line; X-RepoVault-Sha256 holds the file’s sha256', content: { 'application/x-ndjson': { schema: { type: 'string' } } } })
  @ApiErrors(400, 401, 404)
  async metadata(@Principal() p: ApiPrincipal, @Param('id', UuidParam()) id: string, @Param('kind') kind: string, @Res({ passthrough: true }) res: ExpressResponse): Promise<StreamableFile> {
    return relay(await this.upstream.plan.stream(`/internal/snapshots/${id}/metadata/${encodeURIComponent(kind)}`, { tenantId: p.tenantId, timeoutMs: STREAM_TIMEOUT_MS }), res);
  }
}
