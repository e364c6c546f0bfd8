import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested,
} from 'class-validator';

const PROVIDERS = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const;
const POOL = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

export class SyncScheduleBody {
  @IsOptional() @IsInt() @Min(5) @Max(7 * 24 * 60) intervalMinutes?: number;
  @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(24) @ArrayUnique() @IsInt({ each: true }) @Min(0, { each: true }) @Max(23, { each: true }) hours?: number[];
}

export class CreateOAuthAppBody {
  @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @IsOptional() @IsString() @Length(1, 2_000) baseUrl?: string;
  @IsString() @Length(1, 300) clientId!: string;
  @IsUUID() clientSecretId!: string;
  @IsOptional() @IsBoolean() autoAddNewRepositories?: boolean;
  @IsOptional() @IsBoolean() includeGroups?: boolean;
  @IsOptional() @ValidateNested() @Type(() => SyncScheduleBody) sync?: SyncScheduleBody;
  @IsOptional() @IsString() @Matches(POOL, { message: 'defaultWorkerPool must be lowercase letters, digits and dashes' }) defaultWorkerPool?: string;
}

export class CreateOAuthAuthorizationBody {
  @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @IsOptional() @IsString() @Length(1, 2_000) baseUrl?: string;
  @IsOptional() @IsUUID() oauthAppId?: string;
  @IsString() @Length(1, 2_000) redirectUri!: string;
}

export class OAuthCallbackBody {
  @IsString() @Length(1, 500) state!: string;
  @IsOptional() @IsString() @Length(1, 2_000) code?: string;
  @IsOptional() @IsString() @Length(1, 200) error?: string;
  @IsOptional() @IsString() @Length(0, 2_000) errorDescription?: string;
}
