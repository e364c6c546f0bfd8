import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Length, Max, Min } from 'class-validator';

export class ClaimBody {
  @IsIn(['backup', 'restore', 'discovery', 'validation']) purpose!: 'backup' | 'restore' | 'discovery' | 'validation';
  @IsUUID() organizationId!: string;
  @IsString() @Length(1, 40) resource!: string;
  @IsOptional() @IsUUID() runId?: string;
  @IsOptional() @IsUUID() planId?: string;
  @IsOptional() @IsString() @Length(1, 300) preferIdentity?: string;
}

export class LeaseBody {
  @IsString() @Length(1, 100) leaseId!: string;
  @IsString() @Length(1, 500) budgetKey!: string;
}

export class CompleteBody extends LeaseBody {
  @IsUUID() credentialId!: string;
  @IsOptional() @IsUUID() runId?: string;
  @Type(() => Number) @IsInt() @Min(0) @Max(999) status!: number;
  @IsObject() headers!: Record<string, string>;
  @IsOptional() @IsBoolean() notModified?: boolean;
  @IsOptional() @IsBoolean() secondaryLimit?: boolean;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) waitedMs?: number;
}
