import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateSecretRequest {
  @ApiProperty({ example: 'backup-bot PAT', maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ description: 'the secret value; write-only, never returned', writeOnly: true }) @IsString() @Length(1, 10_000) value!: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2_000) description?: string;
}

export class SecretValueRequest {
  @ApiProperty({ description: 'the new value; credentials using the secret pick it up', writeOnly: true }) @IsString() @Length(1, 10_000) value!: string;
}

export class SecretView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ description: 'last 4 characters of the value (empty for short values)' }) hint!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class SecretPage {
  @ApiProperty({ type: [SecretView] }) items!: SecretView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
