import { Type } from 'class-transformer';
import type { CreateOrganizationRequest } from '@repovault/contracts/internal-api';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min,
  ValidateIf, ValidateNested,
} from 'class-validator';

const PROVIDERS = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const;
const POOL = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** A token, a finished OAuth authorization, or an installation of the main GitHub App. */
export class TokenAuthBody {
  @IsIn(['token', 'oauth', 'github-app']) method!: 'token' | 'oauth' | 'github-app';
  @IsOptional() @IsString() @Length(1, 200) username?: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsUUID() secretId?: string;
  @IsOptional() @IsString() @Length(1, 10_000) secret?: string;
  @ValidateIf((o: TokenAuthBody) => o.method === 'oauth') @IsUUID() authorizationId?: string;
  @ValidateIf((o: TokenAuthBody) => o.method === 'github-app') @IsInt() @Min(1) installationId?: number;
}

/** The body's auth as the typed union the contracts use. */
export function authOf(body: TokenAuthBody): CreateOrganizationRequest['auth'] {
  if (body.method === 'oauth') return { method: 'oauth', authorizationId: body.authorizationId ?? '' };
  if (body.method === 'github-app') return { method: 'github-app', installationId: body.installationId ?? 0 };
  return { method: 'token', username: body.username, email: body.email, secretId: body.secretId, secret: body.secret };
}

/** `{ intervalMinutes }` or `{ hours: [0..23] }`; exactly one. */
export class SyncBody {
  @IsOptional() @IsInt() @Min(5) @Max(7 * 24 * 60) intervalMinutes?: number;
  @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(24) @ArrayUnique() @IsInt({ each: true }) @Min(0, { each: true }) @Max(23, { each: true }) hours?: number[];
}

export class CreateOrganizationBody {
  @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @IsOptional() @IsString() @Length(1, 2_000) baseUrl?: string;
  @IsString() @Length(1, 200) @Matches(/^[^\s/]+(\/[^\s/]+)*$/, { message: 'name must be the organization login, group path, workspace slug or project key' }) name!: string;
  @ValidateNested() @Type(() => TokenAuthBody) auth!: TokenAuthBody;
  @IsOptional() @IsBoolean() autoAddNewRepositories?: boolean;
  @IsOptional() @IsBoolean() includeGroups?: boolean;
  @IsOptional() @ValidateNested() @Type(() => SyncBody) sync?: SyncBody;
  @IsOptional() @IsString() @Matches(POOL, { message: 'defaultWorkerPool must be lowercase letters, digits and dashes' }) defaultWorkerPool?: string;
}

export class UpdateOrganizationBody {
  @IsOptional() @IsBoolean() autoAddNewRepositories?: boolean;
  @IsOptional() @IsBoolean() includeGroups?: boolean;
  @IsOptional() @ValidateNested() @Type(() => SyncBody) sync?: SyncBody;
  @IsOptional() @IsString() @Matches(POOL, { message: 'defaultWorkerPool must be lowercase letters, digits and dashes' }) defaultWorkerPool?: string;
}

export class RepositoryListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @IsOptional() @IsString() cursor?: string;
  @IsOptional() @IsIn(['active', 'deleted']) status?: 'active' | 'deleted';
}
