import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ListQuery } from '@repovault/platform/http';
import { MAX_INTERVAL_MINUTES, MIN_INTERVAL_MINUTES } from './plan-schedule';

const POOL = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
export const MAX_KEEP_LAST = 10_000;

/** May be left out, but not sent as null (IsOptional would let null through). */
const OptionalNotNull = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);

export class RepositoriesBody {
  @IsIn(['all', 'selected']) mode!: 'all' | 'selected';
  @OptionalNotNull() @ArrayMaxSize(10_000) @ArrayUnique() @IsUUID('all', { each: true }) exclude?: string[];
  @OptionalNotNull() @ArrayMinSize(1) @ArrayMaxSize(10_000) @ArrayUnique() @IsUUID('all', { each: true }) ids?: string[];
}

export class IncludeBody {
  @OptionalNotNull() @IsBoolean() git?: boolean;
  @OptionalNotNull() @IsBoolean() lfs?: boolean;
  @OptionalNotNull() @IsBoolean() wiki?: boolean;
  @OptionalNotNull() @IsBoolean() issues?: boolean;
  @OptionalNotNull() @IsBoolean() pullRequests?: boolean;
  @OptionalNotNull() @IsBoolean() comments?: boolean;
  @OptionalNotNull() @IsBoolean() releases?: boolean;
  @OptionalNotNull() @IsBoolean() labels?: boolean;
  @OptionalNotNull() @IsBoolean() milestones?: boolean;
}

/** Exactly one of the three (checked by planScheduleFrom). */
export class ScheduleBody {
  @OptionalNotNull() @ArrayMinSize(1) @ArrayMaxSize(24) @ArrayUnique() @IsInt({ each: true }) @Min(0, { each: true }) @Max(23, { each: true }) hours?: number[];
  @OptionalNotNull() @IsInt() @Min(MIN_INTERVAL_MINUTES) @Max(MAX_INTERVAL_MINUTES) intervalMinutes?: number;
  @OptionalNotNull() @IsString() @Length(9, 200) cron?: string;
}

export class RetentionBody {
  @IsInt() @Min(1) @Max(MAX_KEEP_LAST) keepLast!: number;
}

export class AdditionalCredentialsBody {
  @OptionalNotNull() @IsBoolean() enabled?: boolean;
  @OptionalNotNull() @ArrayMaxSize(100) @ArrayUnique() @IsUUID('all', { each: true }) credentialIds?: string[];
}

export class AdvancedBody {
  @OptionalNotNull() @ValidateNested() @Type(() => AdditionalCredentialsBody) additionalCredentials?: AdditionalCredentialsBody;
}

export class CreatePlanBody {
  @IsString() @Length(1, 200) name!: string;
  @IsUUID() organizationId!: string;
  @OptionalNotNull() @ValidateNested() @Type(() => RepositoriesBody) repositories?: RepositoriesBody;
  @OptionalNotNull() @ValidateNested() @Type(() => IncludeBody) include?: IncludeBody;
  /** null or absent: manual runs only */
  @IsOptional() @ValidateNested() @Type(() => ScheduleBody) schedule?: ScheduleBody | null;
  @OptionalNotNull() @ValidateNested() @Type(() => RetentionBody) retention?: RetentionBody;
  @OptionalNotNull() @ValidateNested() @Type(() => AdvancedBody) advanced?: AdvancedBody;
  @IsOptional() @IsString() @Matches(POOL, { message: 'workerPool must be lowercase letters, digits and dashes (at most 40)' }) workerPool?: string | null;
}

export class UpdatePlanBody {
  @OptionalNotNull() @IsString() @Length(1, 200) name?: string;
  @OptionalNotNull() @ValidateNested() @Type(() => RepositoriesBody) repositories?: RepositoriesBody;
  @OptionalNotNull() @ValidateNested() @Type(() => IncludeBody) include?: IncludeBody;
  /** null: manual runs only; absent: unchanged */
  @IsOptional() @ValidateNested() @Type(() => ScheduleBody) schedule?: ScheduleBody | null;
  @OptionalNotNull() @ValidateNested() @Type(() => RetentionBody) retention?: RetentionBody;
  @OptionalNotNull() @ValidateNested() @Type(() => AdvancedBody) advanced?: AdvancedBody;
  @IsOptional() @IsString() @Matches(POOL, { message: 'workerPool must be lowercase letters, digits and dashes (at most 40)' }) workerPool?: string | null;
}

export class PlanListQuery extends ListQuery {
  @IsOptional() @IsUUID() organizationId?: string;
}
