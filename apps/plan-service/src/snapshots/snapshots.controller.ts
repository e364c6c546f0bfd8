import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import type { SnapshotRecord } from '@repovault/contracts/internal-api';
import { InternalRoute, ListQuery, type Page, TenantId, UuidParam, limitOf } from '@repovault/platform/http';
import { IsOptional, IsUUID } from 'class-validator';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { type OpenedSnapshotFile, SnapshotsService } from './snapshots.service';

export class SnapshotListQuery extends ListQuery {
  @IsOptional() @IsUUID() repositoryId?: string;
  @IsOptional() @IsUUID() planId?: string;
}

/** Header carrying the expected sha256 of a streamed file, so a client can verify what it saved. */
export const SHA256_HEADER = 'x-repovault-sha256';

/**
 * The bytes are verified while they stream. No Content-Length is sent: when the stored bytes turn
 * out corrupt at the end, the connection is cut before the final chunk, so no client can mistake a
 * corrupt file for a complete one.
 */
function streamOf(opened: OpenedSnapshotFile, res: Response, type: string, filename: string): StreamableFile {
  res.setHeader(SHA256_HEADER, opened.file.sha256);
  const safeName = filename.replace(/[^A-Za-z0-9._-]+/g, '_');
  return new StreamableFile(Readable.from(opened.stream as AsyncIterable<Buffer>), { type, disposition: `attachment; filename="${safeName}"` });
}

@Controller('internal/snapshots')
export class SnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Get()
  @InternalRoute('api-gateway')
  list(@TenantId() tenantId: string, @Query() query: SnapshotListQuery): Promise<Page<SnapshotRecord>> {
    return this.snapshots.list(tenantId, limitOf(query), { repositoryId: query.repositoryId, planId: query.planId }, query.cursor);
  }

  @Get(':id')
  @InternalRoute('api-gateway')
  get(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string): Promise<SnapshotRecord> {
    return this.snapshots.get(tenantId, id);
  }

  @Get(':id/bundle')
  @InternalRoute('api-gateway')
  async bundle(@TenantId() tenantId: string, @Param('id', UuidParam()) id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const opened = await this.snapshots.openBundle(tenantId, id);
    return streamOf(opened, res, 'application/octet-stream', `${opened.snapshot.repositoryFullName}-${opened.snapshot.id}.bundle`);
  }

  @Get(':id/metadata/:kind')
  @InternalRoute('api-gateway')
  async metadata(
    @TenantId() tenantId: string,
    @Param('id', UuidParam()) id: string,
    @Param('kind') kind: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const opened = await this.snapshots.openMetadata(tenantId, id, kind);
    return streamOf(opened, res, 'application/x-ndjson', `${opened.snapshot.repositoryFullName}-${opened.snapshot.id}-${kind}.ndjson`);
  }
}

@Controller('internal/repositories')
export class RepositorySnapshotsController {
  constructor(private readonly snapshots: SnapshotsService) {}

  @Get(':repositoryId/latest-snapshot')
  @InternalRoute('backup-worker')
  latest(@TenantId() tenantId: string, @Param('repositoryId', UuidParam()) repositoryId: string): Promise<SnapshotRecord> {
    return this.snapshots.latest(tenantId, repositoryId);
  }
}
