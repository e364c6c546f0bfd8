import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PublicListQuery } from '../common/list-query.dto';

const POOL = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** May be left out, but not sent as null. */
const OptionalNotNull = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

export class RepositorySelectionRequest {
  @ApiProperty({ enum: ['all', 'selected'], description: 'all repositories (minus exclude) or only the listed ids' })
  @IsIn(['all', 'selected']) mode!: 'all' | 'selected';
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'with mode "all": repositories to leave out' })
  @OptionalNotNull() @ArrayMaxSize(10_000) @ArrayUnique() @IsUUID('all', { each: true }) exclude?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'with mode "selected": the repositories to back up' })
  @OptionalNotNull() @ArrayMinSize(1) @ArrayMaxSize(10_000) @ArrayUnique() @IsUUID('all', { each: true }) ids?: string[];
}

export class IncludeRequest {
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() git?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() lfs?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() wiki?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() issues?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() pullRequests?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() comments?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() releases?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() labels?: boolean;
  @ApiPropertyOptional({ default: true }) @OptionalNotNull() @IsBoolean() milestones?: boolean;
}

export class PlanScheduleRequest {
  @ApiPropertyOptional({ type: [Number], description: 'hours of the day, UTC (give exactly one of hours, intervalMinutes, cron)', example: [2] })
  @OptionalNotNull() @ArrayMinSize(1) @ArrayMaxSize(24) @ArrayUnique() @IsInt({ each: true }) @Min(0, { each: true }) @Max(23, { each: true })
  hours?: number[];
  @ApiPropertyOptional({ minimum: 5, maximum: 10080, description: 'every N minutes; the first run is when the schedule is set' })
  @OptionalNotNull() @IsInt() @Min(5) @Max(7 * 24 * 60) intervalMinutes?: number;
  @ApiPropertyOptional({ description: '5-field cron expression, UTC', example: '0 2 * * 1-5' })
  @OptionalNotNull() @IsString() @Length(9, 200) cron?: string;
}

export class RetentionRequest {
  @ApiProperty({ minimum: 1, maximum: 10_000, default: 30, description: 'snapshots kept per repository; the newest is never removed' })
  @IsInt() @Min(1) @Max(10_000) keepLast!: number;
}

export class AdditionalCredentialsRequest {
  @ApiPropertyOptional({ default: false, description: 'the "Additional git credentials" switch; off: only the main credential is used' })
  @OptionalNotNull() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ type: [String], format: 'uuid', description: "the accounts toggled on: additional credentials of the plan's organization" })
  @OptionalNotNull() @ArrayMaxSize(100) @ArrayUnique() @IsUUID('all', { each: true }) credentialIds?: string[];
}

export class AdvancedRequest {
  @ApiPropertyOptional({ type: AdditionalCredentialsRequest })
  @OptionalNotNull() @ValidateNested() @Type(() => AdditionalCredentialsRequest) additionalCredentials?: AdditionalCredentialsRequest;
}

export class CreatePlanRequest {
  @ApiProperty({ example: 'nightly' }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ format: 'uuid' }) @IsUUID() organizationId!: string;
  @ApiPropertyOptional({ type: RepositorySelectionRequest, description: 'default: all repositories' })
  @OptionalNotNull() @ValidateNested() @Type(() => RepositorySelectionRequest) repositories?: RepositorySelectionRequest;
  @ApiPropertyOptional({ type: IncludeRequest, description: 'default: everything included' })
  @OptionalNotNull() @ValidateNested() @Type(() => IncludeRequest) include?: IncludeRequest;
  @ApiPropertyOptional({ type: PlanScheduleRequest, nullable: true, description: 'null or absent: manual runs only' })
  @IsOptional() @ValidateNested() @Type(() => PlanScheduleRequest) schedule?: PlanScheduleRequest | null;
  @ApiPropertyOptional({ type: RetentionRequest })
  @OptionalNotNull() @ValidateNested() @Type(() => RetentionRequest) retention?: RetentionRequest;
  @ApiPropertyOptional({ type: AdvancedRequest })
  @OptionalNotNull() @ValidateNested() @Type(() => AdvancedRequest) advanced?: AdvancedRequest;
  @ApiPropertyOptional({ type: String, nullable: true, description: "overrides the organization's defaultWorkerPool" })
  @IsOptional() @IsString() @Matches(POOL, { message: 'workerPool must be lowercase letters, digits and dashes (at most 40)' }) workerPool?: string | null;
}

export class UpdatePlanRequest {
  @ApiPropertyOptional() @OptionalNotNull() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional({ type: RepositorySelectionRequest })
  @OptionalNotNull() @ValidateNested() @Type(() => RepositorySelectionRequest) repositories?: RepositorySelectionRequest;
  @ApiPropertyOptional({ type: IncludeRequest, description: 'only the fields given change' })
  @OptionalNotNull() @ValidateNested() @Type(() => IncludeRequest) include?: IncludeRequest;
  @ApiPropertyOptional({ type: PlanScheduleRequest, nullable: true, description: 'null: manual runs only; absent: unchanged' })
  @IsOptional() @ValidateNested() @Type(() => PlanScheduleRequest) schedule?: PlanScheduleRequest | null;
  @ApiPropertyOptional({ type: RetentionRequest })
  @OptionalNotNull() @ValidateNested() @Type(() => RetentionRequest) retention?: RetentionRequest;
  @ApiPropertyOptional({ type: AdvancedRequest, description: 'only the fields given change' })
  @OptionalNotNull() @ValidateNested() @Type(() => AdvancedRequest) advanced?: AdvancedRequest;
  @ApiPropertyOptional({ type: String, nullable: true, description: "null: use the organization's defaultWorkerPool" })
  @IsOptional() @IsString() @Matches(POOL, { message: 'workerPool must be lowercase letters, digits and dashes (at most 40)' }) workerPool?: string | null;
}

export class PlanListQuery extends PublicListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "only this organization's plans" }) @IsOptional() @IsUUID() organizationId?: string;
}

export class RepositorySelectionView {
  @ApiProperty({ enum: ['all', 'selected'] }) mode!: string;
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) exclude?: string[];
  @ApiPropertyOptional({ type: [String], format: 'uuid' }) ids?: string[];
}

export class IncludeView {
  @ApiProperty() git!: boolean;
  @ApiProperty() lfs!: boolean;
  @ApiProperty() wiki!: boolean;
  @ApiProperty() issues!: boolean;
  @ApiProperty() pullRequests!: boolean;
  @ApiProperty() comments!: boolean;
  @ApiProperty() releases!: boolean;
  @ApiProperty() labels!: boolean;
  @ApiProperty() milestones!: boolean;
}

export class PlanScheduleView {
  @ApiPropertyOptional({ type: [Number] }) hours?: number[];
  @ApiPropertyOptional() intervalMinutes?: number;
  @ApiPropertyOptional() cron?: string;
}

export class RetentionView {
  @ApiProperty() keepLast!: number;
}

export class AdditionalCredentialsView {
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: [String], format: 'uuid' }) credentialIds!: string[];
}

export class AdvancedView {
  @ApiProperty({ type: AdditionalCredentialsView }) additionalCredentials!: AdditionalCredentialsView;
}

export class PlanView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: "the organization's default plan, made when it was connected" }) isDefault!: boolean;
  @ApiProperty({ type: RepositorySelectionView }) repositories!: RepositorySelectionView;
  @ApiProperty({ type: IncludeView }) include!: IncludeView;
  @ApiProperty({ type: PlanScheduleView, nullable: true, description: 'null: manual runs only' }) schedule!: PlanScheduleView | null;
  @ApiProperty({ type: RetentionView }) retention!: RetentionView;
  @ApiProperty({ type: AdvancedView }) advanced!: AdvancedView;
  @ApiProperty({ type: String, nullable: true }) workerPool!: string | null;
  @ApiProperty({ type: [String], description: 'e.g. an enabled credential that cannot read the metadata the plan includes' }) warnings!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) nextRunAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class PlanPage {
  @ApiProperty({ type: [PlanView] }) items!: PlanView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
