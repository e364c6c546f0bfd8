import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Min, ValidateIf, ValidateNested,
} from 'class-validator';

export class RestoreTargetBody {
  @IsUUID() organizationId!: string;
  @IsString() @Length(1, 200) repositoryName!: string;
  @IsIn(['new-repository', 'overwrite']) mode!: 'new-repository' | 'overwrite';
}

export class RestoreIncludeBody {
  @IsOptional() @IsBoolean() git?: boolean;
  @IsOptional() @IsBoolean() lfs?: boolean;
  @IsOptional() @IsBoolean() wiki?: boolean;
  @IsOptional() @IsBoolean() issues?: boolean;
  @IsOptional() @IsBoolean() comments?: boolean;
  @IsOptional() @IsBoolean() pullRequests?: boolean;
  @IsOptional() @IsBoolean() labels?: boolean;
  @IsOptional() @IsBoolean() milestones?: boolean;
  @IsOptional() @IsBoolean() releases?: boolean;
}

export class CreateRestoreBody {
  @IsUUID() snapshotId!: string;
  @ValidateNested() @Type(() => RestoreTargetBody) target!: RestoreTargetBody;
  @IsOptional() @ValidateNested() @Type(() => RestoreIncludeBody) include?: RestoreIncludeBody;
  @IsOptional() @IsString() @Length(0, 500) confirm?: string;
}

export class RestoreItemCountsBody {
  @IsInt() @Min(0) source!: number;
  @IsInt() @Min(0) restored!: number;
  @IsInt() @Min(0) notRestored!: number;
  @IsInt() @Min(0) failed!: number;
}

export class RestoreNotRestoredBody {
  @IsString() @Length(1, 64) kind!: string;
  @IsString() @Length(1, 2_000) reason!: string;
  @IsInt() @Min(0) count!: number;
  @ArrayMaxSize(20) @IsString({ each: true }) examples!: string[];
}

export class RestoreErrorBody {
  @ValidateIf((_o: unknown, v: unknown) => v !== null) @IsString() @Length(1, 64) kind!: string | null;
  @ValidateIf((_o: unknown, v: unknown) => v !== null) @IsString() @Length(1, 500) item!: string | null;
  @IsString() @Length(1, 10_000) message!: string;
}

export class RestoreTargetReportBody {
  @IsString() @Length(1, 500) fullName!: string;
  @ValidateIf((_o: unknown, v: unknown) => v !== null) @IsString() @Length(1, 2_000) url!: string | null;
}

/** A worker's progress report (every report replaces the numbers of the previous one). */
export class RestoreProgressBody {
  @IsIn(['running', 'succeeded', 'partially-failed', 'failed']) status!: 'running' | 'succeeded' | 'partially-failed' | 'failed';
  @IsOptional() @ValidateIf((_o: unknown, v: unknown) => v !== null) @IsString() @Length(0, 200) statusDetail?: string | null;
  @IsOptional() @ValidateNested() @Type(() => RestoreTargetReportBody) target?: RestoreTargetReportBody;
  @IsObject() items!: Record<string, RestoreItemCountsBody>;
  @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => RestoreNotRestoredBody) notRestored!: RestoreNotRestoredBody[];
  @ArrayMaxSize(200) @ValidateNested({ each: true }) @Type(() => RestoreErrorBody) errors!: RestoreErrorBody[];
}
