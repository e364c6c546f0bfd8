import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

export class CreateTenantRequest {
  @ApiProperty({ example: 'acme', minLength: 1, maxLength: 100 })
  @IsString() @Length(1, 100) @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}

export class CreatedTenant {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'the first admin API key, shown once' }) apiKey!: string;
}

export class TenantView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
