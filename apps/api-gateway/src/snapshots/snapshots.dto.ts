import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PublicListQuery } from '../common/list-query.dto';

export class SnapshotListQuery extends PublicListQuery {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() repositoryId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() planId?: string;
}

export class SnapshotFileView {
  @ApiProperty({ example: 'repository.bundle' }) path!: string;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' }) sha256!: string;
  @ApiProperty() bytes!: number;
  @ApiProperty({ enum: ['bundle', 'wiki-bundle', 'metadata', 'lfs', 'asset'] }) kind!: string;
}

const refMap = { type: 'object', additionalProperties: { type: 'string' }, example: { 'refs/heads/main': 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' } } as const;

export class SnapshotView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: 'acme/widgets' }) repositoryFullName!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ ...refMap, description: 'ref name to object id' }) refs!: Record<string, string>;
  @ApiProperty({ ...refMap, nullable: true, description: "the wiki's refs, when the repository has a wiki" }) wikiRefs!: Record<string, string> | null;
  @ApiProperty({
    type: 'object', additionalProperties: { type: 'number' }, example: { issues: 12, pullRequests: 3 },
    description: 'records per metadata kind (issues, pullRequests, issueComments, reviewComments, reviews, releases, releaseAssets, labels, milestones)',
  })
  metadata!: Record<string, number>;
  @ApiProperty() lfsObjects!: number;
  @ApiProperty({ description: 'bytes of all its files' }) sizeBytes!: number;
  @ApiProperty({ description: 'bytes this snapshot added to the store (0 for an unchanged repository)' }) newBytes!: number;
  @ApiProperty({ type: [SnapshotFileView] }) files!: SnapshotFileView[];
}

export class SnapshotPage {
  @ApiProperty({ type: [SnapshotView] }) items!: SnapshotView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
