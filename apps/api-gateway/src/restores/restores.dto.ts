import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf, ValidateNested } from 'class-validator';
import { IncludeRequest } from '../plans/plans.dto';

const MODES = ['new-repository', 'overwrite'] as const;
const STATUSES = ['queued', 'running', 'succeeded', 'partially-failed', 'failed'] as const;

/** May be left out, but not sent as null. */
const OptionalNotNull = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

export class RestoreTargetRequest {
  @ApiProperty({ format: 'uuid', description: 'an organization of the same provider as the snapshot (for overwrite: the snapshot\'s own)' })
  @IsUUID() organizationId!: string;
  @ApiProperty({ example: 'widgets-restored', description: 'the new repository\'s name (for overwrite: the original\'s name)' })
  @IsString() @Length(1, 100) repositoryName!: string;
  @ApiProperty({ enum: MODES, description: 'new-repository: created by the restore, must not exist yet; overwrite: the original, with "confirm"' })
  @IsIn(MODES) mode!: (typeof MODES)[number];
}

export class CreateRestoreRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() snapshotId!: string;
  @ApiProperty({ type: RestoreTargetRequest }) @ValidateNested() @Type(() => RestoreTargetRequest) target!: RestoreTargetRequest;
  @ApiPropertyOptional({ type: IncludeRequest, description: 'what to restore; every switch defaults to true' })
  @OptionalNotNull() @ValidateNested() @Type(() => IncludeRequest) include?: IncludeRequest;
  @ApiPropertyOptional({ example: 'acme/widgets', description: 'mode overwrite: the full name of the repository being overwritten, typed out' })
  @IsOptional() @IsString() @Length(1, 500) confirm?: string;
}

export class RestoreSourceView {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: 'acme/widgets' }) fullName!: string;
}

export class RestoreTargetView {
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() repositoryName!: string;
  @ApiProperty({ enum: MODES }) mode!: string;
  @ApiProperty({ type: String, nullable: true, description: 'known once the worker found or created the repository' }) fullName!: string | null;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
}

export class RestoreIncludeView {
  @ApiProperty() git!: boolean;
  @ApiProperty() lfs!: boolean;
  @ApiProperty() wiki!: boolean;
  @ApiProperty() issues!: boolean;
  @ApiProperty() comments!: boolean;
  @ApiProperty() pullRequests!: boolean;
  @ApiProperty() labels!: boolean;
  @ApiProperty() milestones!: boolean;
  @ApiProperty() releases!: boolean;
}

export class RestoreItemCountsView {
  @ApiProperty({ description: 'in the snapshot' }) source!: number;
  @ApiProperty({ description: 'in the target, written by this restore' }) restored!: number;
  @ApiProperty({ description: 'left out: see notRestored for why' }) notRestored!: number;
  @ApiProperty({ description: 'refused by the provider: see errors' }) failed!: number;
}

export class RestoreNotRestoredView {
  @ApiProperty({ example: 'reviews', description: 'item kind (or an aspect of one, e.g. pull-request-state, assignees)' }) kind!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ type: [String], description: 'a few of the items, e.g. #12' }) examples!: string[];
}

export class RestoreErrorView {
  @ApiProperty({ type: String, nullable: true, description: 'item kind; null for an error of the restore as a whole' }) kind!: string | null;
  @ApiProperty({ type: String, nullable: true }) item!: string | null;
  @ApiProperty() message!: string;
}

export class RestoreView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) snapshotId!: string;
  @ApiProperty({ type: RestoreSourceView }) source!: RestoreSourceView;
  @ApiProperty({ type: RestoreTargetView }) target!: RestoreTargetView;
  @ApiProperty({ type: RestoreIncludeView }) include!: RestoreIncludeView;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'what a running restore is doing (target, git, lfs, wiki, metadata, cleanup)' }) statusDetail!: string | null;
  @ApiProperty() workerPool!: string;
  @ApiProperty({ format: 'date-time' }) queuedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({
    type: 'object', additionalProperties: { $ref: '#/components/schemas/RestoreItemCountsView' },
    description: 'per item kind: git-refs, lfs-objects, wiki-refs, labels, milestones, issues, issue-comments, pull-requests, review-comments, reviews, releases, release-assets',
  })
  items!: Record<string, RestoreItemCountsView>;
  @ApiProperty({ type: [RestoreNotRestoredView], description: 'what was left out, and why (what the provider cannot write)' }) notRestored!: RestoreNotRestoredView[];
  @ApiProperty({ type: [RestoreErrorView] }) errors!: RestoreErrorView[];
}

export class RestorePage {
  @ApiProperty({ type: [RestoreView] }) items!: RestoreView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
