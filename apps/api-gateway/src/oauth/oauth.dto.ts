import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { PROVIDERS, SyncScheduleRequest, SyncScheduleView } from '../organizations/organizations.dto';

const POOL = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;

export class CreateOAuthAuthorizationRequest {
  @ApiProperty({ enum: PROVIDERS }) @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @ApiPropertyOptional({ description: 'self-managed GitLab, GitHub Enterprise Server, Bitbucket DC (standard mode); taken from the OAuth application in advanced mode' })
  @IsOptional() @IsString() @Length(1, 2_000) baseUrl?: string;
  @ApiPropertyOptional({ format: 'uuid', description: "advanced mode: the tenant's own OAuth application (POST /v1/oauth-apps); without it the operator's application is used" })
  @IsOptional() @IsUUID() oauthAppId?: string;
}

export class OrganizationDefaultsView {
  @ApiProperty() autoAddNewRepositories!: boolean;
  @ApiProperty() includeGroups!: boolean;
  @ApiProperty({ type: SyncScheduleView, nullable: true }) sync!: SyncScheduleView | null;
  @ApiProperty({ type: String, nullable: true }) defaultWorkerPool!: string | null;
}

export class OAuthAccountView {
  @ApiProperty({ description: 'the provider account that granted access' }) login!: string;
  @ApiProperty({ description: 'its budget identity' }) identityKey!: string;
}

export class OAuthAuthorizationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: string;
  @ApiProperty({ type: String, nullable: true }) baseUrl!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: "null: the operator's OAuth application" }) oauthAppId!: string | null;
  @ApiProperty({ enum: ['pending', 'authorized', 'failed', 'used'], description: 'authorized: ready to connect an organization with; used: an organization took it over' })
  status!: string;
  @ApiProperty({ type: String, nullable: true }) failureReason!: string | null;
  @ApiProperty({ type: OAuthAccountView, nullable: true }) account!: OAuthAccountView | null;
  @ApiProperty({ format: 'date-time', description: 'the consent link (its state) works until then, once' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
  @ApiProperty({ type: OrganizationDefaultsView, nullable: true, description: 'advanced mode: the settings chosen with the OAuth application' })
  organizationDefaults!: OrganizationDefaultsView | null;
}

export class CreatedOAuthAuthorizationView extends OAuthAuthorizationView {
  @ApiProperty({ description: "open it in a browser (a pop-up): the provider's consent page" }) authorizeUrl!: string;
}

export class CreateOAuthAppRequest {
  @ApiProperty({ enum: PROVIDERS }) @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @ApiPropertyOptional({ description: 'the instance the application is registered on (required for self-managed GitLab, GHES, Bitbucket DC)', example: 'https://gitlab.example.com' })
  @IsOptional() @IsString() @Length(1, 2_000) baseUrl?: string;
  @ApiProperty({ description: "the application's client id (application id)" }) @IsString() @Length(1, 300) clientId!: string;
  @ApiProperty({ format: 'uuid', description: "a password-manager entry holding the application's secret" }) @IsUUID() clientSecretId!: string;
  @ApiPropertyOptional({ default: true, description: 'organizations connected through it add new repositories automatically' }) @IsOptional() @IsBoolean() autoAddNewRepositories?: boolean;
  @ApiPropertyOptional({ default: false, description: 'GitLab: include groups (subgroups and group data)' }) @IsOptional() @IsBoolean() includeGroups?: boolean;
  @ApiPropertyOptional({ type: SyncScheduleRequest, description: 'repository sync: hours of the day or an interval' }) @IsOptional() @ValidateNested() @Type(() => SyncScheduleRequest) sync?: SyncScheduleRequest;
  @ApiPropertyOptional({ description: 'the default worker pool of organizations connected through it' })
  @IsOptional() @IsString() @Matches(POOL, { message: 'defaultWorkerPool must be lowercase letters, digits and dashes' }) defaultWorkerPool?: string;
}

export class OAuthAppView extends OrganizationDefaultsView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: string;
  @ApiProperty({ type: String, nullable: true }) baseUrl!: string | null;
  @ApiProperty() clientId!: string;
  @ApiProperty({ format: 'uuid' }) clientSecretId!: string;
  @ApiProperty({ description: 'register this as the redirect (callback) URL of the application' }) redirectUri!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class OAuthAppPage {
  @ApiProperty({ type: [OAuthAppView] }) items!: OAuthAppView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
