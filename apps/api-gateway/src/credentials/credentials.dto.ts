import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf } from 'class-validator';

/** A token, or an installation of an additional GitHub App #1–#10. */
export class CreateCredentialRequest {
  @ApiProperty({ enum: ['token', 'github-app'] }) @IsIn(['token', 'github-app']) method!: 'token' | 'github-app';
  @ApiPropertyOptional({ description: 'account username (GitHub login, GitLab username, DC user)' }) @IsOptional() @IsString() @Length(1, 200) username?: string;
  @ApiPropertyOptional({ description: 'account email (Bitbucket Cloud API tokens)' }) @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'a password-manager entry holding the token' }) @IsOptional() @IsUUID() secretId?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'the token itself; stored in the password manager once validated' }) @IsOptional() @IsString() @Length(1, 10_000) secret?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 10, description: 'method github-app: which additional GitHub App (#1–#10)' })
  @ValidateIf((o: CreateCredentialRequest) => o.method === 'github-app') @IsInt() @Min(1) @Max(10) appSlot?: number;
  @ApiPropertyOptional({ description: 'method github-app: its installation id (POST /v1/github-apps/installations with the organization)' })
  @ValidateIf((o: CreateCredentialRequest) => o.method === 'github-app') @IsInt() @Min(1) installationId?: number;
}

export class IdentityView {
  @ApiProperty() provider!: string;
  @ApiProperty({ description: 'budget identity: credentials with the same key share one provider budget' }) key!: string;
  @ApiProperty() login!: string;
}

export class RateLimitView {
  @ApiProperty() limit!: number;
  @ApiProperty({ type: Number, nullable: true }) remaining!: number | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resetAt!: string | null;
  @ApiProperty({ example: 'core' }) resource!: string;
}

export class CapabilitiesView {
  @ApiProperty({ description: 'can back up git data' }) git!: boolean;
  @ApiProperty({ description: 'can back up metadata (issues, pull requests, …)' }) metadata!: boolean;
}

export class CredentialView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['main', 'additional'] }) role!: string;
  @ApiProperty({ enum: ['token', 'oauth', 'github-app'] }) method!: string;
  @ApiProperty({ type: String, nullable: true }) username!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) secretId!: string | null;
  @ApiProperty({ type: IdentityView, nullable: true }) identity!: IdentityView | null;
  @ApiProperty({ type: String, nullable: true, example: 'classic' }) tokenKind!: string | null;
  @ApiProperty({ enum: ['valid', 'invalid', 'revoked'] }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'why the credential is invalid' }) statusReason!: string | null;
  @ApiProperty({ type: [String], nullable: true }) scopes!: string[] | null;
  @ApiProperty({ type: RateLimitView, nullable: true }) rateLimit!: RateLimitView | null;
  @ApiProperty({ type: [String], description: 'credentials of the same provider identity: they add no capacity' }) sharesBudgetWith!: string[];
  @ApiProperty({ type: CapabilitiesView }) capabilities!: CapabilitiesView;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CredentialList {
  @ApiProperty({ type: [CredentialView] }) items!: CredentialView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
