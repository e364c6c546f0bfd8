import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateSecretBody {
  @IsString() @Length(1, 200) name!: string;
  @IsString() @Length(1, 10_000) value!: string;
  @IsOptional() @IsString() @MaxLength(2_000) description?: string;
}

export class SecretValueBody {
  @IsString() @Length(1, 10_000) value!: string;
}
