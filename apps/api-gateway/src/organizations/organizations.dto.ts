import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, ArrayUnique, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min,
  ValidateIf, ValidateNested,
} from 'class-validator';

export const PROVIDERS = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const;
const POOL = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** A token (`token`), a finished OAuth authorization (`oauth`) or an installation of the main GitHub App (`github-app`). */
export class TokenAuthRequest {
  @ApiProperty({ enum: ['token', 'oauth', 'github-app'] }) @IsIn(['token', 'oauth', 'github-app']) method!: 'token' | 'oauth' | 'github-app';
  @ApiPropertyOptional({ description: 'account username (GitHub login, GitLab username, DC user)' }) @IsOptional() @IsString() @Length(1, 200) username?: string;
  @ApiPropertyOptional({ description: 'account email (Bitbucket Cloud API tokens)' }) @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'a password-manager entry holding the token' }) @IsOptional() @IsUUID() secretId?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'the token itself; stored in the password manager once validated' }) @IsOptional() @IsString() @Length(1, 10_000) secret?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'method oauth: a finished authorization (POST /v1/oauth/authorizations)' })
  @ValidateIf((o: TokenAuthRequest) => o.method === 'oauth') @IsUUID() authorizationId?: string;
  @ApiPropertyOptional({ description: "method github-app: the main GitHub App's installation id (POST /v1/github-apps/installations)" })
  @ValidateIf((o: TokenAuthRequest) => o.method === 'github-app') @IsInt() @Min(1) installationId?: number;
}

export class SyncScheduleRequest {
  @ApiPropertyOptional({ minimum: 5, description: 'sync every N minutes (give this or hours)' }) @IsOptional() @IsInt() @Min(5) @Max(7 * 24 * 60) intervalMinutes?: number;
  @ApiPropertyOptional({ type: [Number], description: 'hours of the day, UTC (give this or intervalMinutes)' })
  @IsOptional() @ArrayMinSize(1) @ArrayMaxSize(24) @ArrayUnique() @IsInt({ each: true }) @Min(0, { each: true }) @Max(23, { each: true })
  hours?: number[];
}

export class CreateOrganizationRequest {
  @ApiProperty({ enum: PROVIDERS }) @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @ApiPropertyOptional({ description: 'required for GitHub Enterprise Server, self-managed GitLab and Bitbucket DC', example: 'https://ghe.example.com/api/v3' })
  @IsOptional() @IsString() @Length(1, 2_000) baseUrl?: string;
  @ApiProperty({ description: 'org login, group path, workspace slug or DC project key', example: 'acme' })
  @IsString() @Length(1, 200) @Matches(/^[^\s/]+(\/[^\s/]+)*$/, { message: 'name must be the organization login, group path, workspace slug or project key' })
  name!: string;
  @ApiProperty({ type: TokenAuthRequest }) @ValidateNested() @Type(() => TokenAuthRequest) auth!: TokenAuthRequest;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() autoAddNewRepositories?: boolean;
  @ApiPropertyOptional({ default: false, description: 'GitLab: back up subgroups and the groups’ own data' }) @IsOptional() @IsBoolean() includeGroups?: boolean;
  @ApiPropertyOptional({ type: SyncScheduleRequest, description: 'repository discovery schedule (default every 360 minutes)' })
  @IsOptional() @ValidateNested() @Type(() => SyncScheduleRequest) sync?: SyncScheduleRequest;
  @ApiPropertyOptional({ default: 'default' }) @IsOptional() @IsString() @Matches(POOL, { message: 'defaultWorkerPool must be lowercase letters, digits and dashes' }) defaultWorkerPool?: string;
}

export class UpdateOrganizationRequest {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() autoAddNewRepositories?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() includeGroups?: boolean;
  @ApiPropertyOptional({ type: SyncScheduleRequest }) @IsOptional() @ValidateNested() @Type(() => SyncScheduleRequest) sync?: SyncScheduleRequest;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(POOL, { message: 'defaultWorkerPool must be lowercase letters, digits and dashes' }) defaultWorkerPool?: string;
}

export class AuthView {
  @ApiProperty({ enum: ['token', 'oauth', 'github-app'] }) method!: string;
  @ApiProperty({ type: String, nullable: true }) username!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
}

export class SyncScheduleView {
  @ApiPropertyOptional() intervalMinutes?: number;
  @ApiPropertyOptional({ type: [Number] }) hours?: number[];
}

export class OrganizationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: string;
  @ApiProperty({ type: String, nullable: true }) baseUrl!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active'] }) status!: string;
  @ApiProperty({ type: AuthView }) auth!: AuthView;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) mainCredentialId!: string | null;
  @ApiProperty() autoAddNewRepositories!: boolean;
  @ApiProperty() includeGroups!: boolean;
  @ApiProperty({ type: SyncScheduleView }) sync!: SyncScheduleView;
  @ApiProperty() defaultWorkerPool!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'filled within seconds of creation' }) defaultPlanId!: string | null;
  @ApiProperty() repositoryCount!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastSyncedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'why the last repository sync failed' }) syncError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class OrganizationPage {
  @ApiProperty({ type: [OrganizationView] }) items!: OrganizationView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RepositoryView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'acme/widgets' }) fullName!: string;
  @ApiProperty({ type: String, nullable: true }) defaultBranch!: string | null;
  @ApiProperty() private!: boolean;
  @ApiProperty() archived!: boolean;
  @ApiProperty({ enum: ['active', 'deleted'], description: 'deleted: gone upstream, snapshots kept' }) status!: string;
  @ApiProperty() sizeKb!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastPushedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) discoveredAt!: string;
}

export class RepositoryPage {
  @ApiProperty({ type: [RepositoryView] }) items!: RepositoryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RepositoryListQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
  @ApiPropertyOptional({ enum: ['active', 'deleted'] }) @IsOptional() @IsIn(['active', 'deleted']) status?: 'active' | 'deleted';
}

export class SyncAccepted {
  @ApiProperty({ enum: ['queued'] }) status!: 'queued';
}
