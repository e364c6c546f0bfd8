import { Type } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';

const PROVIDERS = ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const;

export class TokenCredentialBody {
  @IsIn(['token']) method!: 'token';
  @IsOptional() @IsString() @Length(1, 200) username?: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional() @IsUUID() secretId?: string;
  @IsOptional() @IsString() @Length(1, 10_000) secret?: string;
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
