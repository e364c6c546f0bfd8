import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorView {
  @ApiProperty({ example: 'name' }) field!: string;
  @ApiProperty({ example: 'name must be shorter than or equal to 100 characters' }) message!: string;
}

/** RFC 9457 problem details, as every error is answered. */
export class ProblemDetailsView {
  @ApiProperty({ example: 'urn:problem-type:repovault:validation-error' }) type!: string;
  @ApiProperty({ example: 'Validation failed' }) title!: string;
  @ApiProperty({ example: 400 }) status!: number;
  @ApiProperty({ example: 'The request has 1 invalid field: name.' }) detail!: string;
  @ApiPropertyOptional({ type: [FieldErrorView] }) errors?: FieldErrorView[];
}
