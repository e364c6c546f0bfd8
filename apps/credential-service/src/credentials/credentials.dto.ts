import { Type } from 'class-transformer';
import type { CredentialInput } from '@repovault/contracts/internal-api';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Max, Min, ValidateIf, ValidateNested } from 'class-validator';

const PROVIDERS = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const;

/** A token (PAT, access token…), a finished OAuth authorization, or a GitHub App installation. */
export class TokenCredentialBody {
  @IsIn(['token', 'oauth', 'github-app']) method!: 'token' | 'oauth' | 'github-app';
  @IsOptional() @IsString() @Length(1, 200) username?: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsUUID() secretId?: string;
  @IsOptional() @IsString() @Length(1, 10_000) secret?: string;
  @ValidateIf((o: TokenCredentialBody) => o.method === 'oauth') @IsUUID() authorizationId?: string;
  @ValidateIf((o: TokenCredentialBody) => o.method === 'github-app') @IsInt() @Min(1) installationId?: number;
  @IsOptional() @IsInt() @Min(1) @Max(10) appSlot?: number;
}

/** The body as the typed union the services take. */
export function credentialInputOf(body: TokenCredentialBody): CredentialInput {
  if (body.method === 'oauth') return { method: 'oauth', authorizationId: body.authorizationId ?? '' };
  if (body.method === 'github-app') return { method: 'github-app', appSlot: body.appSlot, installationId: body.installationId ?? 0 };
  return { method: 'token', username: body.username, email: body.email, secretId: body.secretId, secret: body.secret };
}

export class OrganizationTargetBody {
  @IsUUID() id!: string;
  @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];
  @IsString() @Length(1, 2_000) apiBaseUrl!: string;
  @IsString() @Length(1, 200) name!: string;
}

export class CreateMainCredentialBody {
  @ValidateNested() @Type(() => OrganizationTargetBody) organization!: OrganizationTargetBody;
  @ValidateNested() @Type(() => TokenCredentialBody) credential!: TokenCredentialBody;
}
