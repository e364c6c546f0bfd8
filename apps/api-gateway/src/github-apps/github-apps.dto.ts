import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'appSlot' })
export class AppSlotConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === 'main' || (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 10);
  }

  defaultMessage(): string {
    return "appSlot must be 'main' or an additional app's number from 1 to 10";
  }
}

const SLOT_SCHEMA = { oneOf: [{ type: 'string', enum: ['main'] }, { type: 'integer', minimum: 1, maximum: 10 }] };

export class GitHubAppView {
  @ApiProperty({ ...SLOT_SCHEMA, description: "'main' connects organizations; 1–10 are additional apps for throttling prevention" }) slot!: 'main' | number;
  @ApiProperty() appId!: number;
  @ApiProperty({ description: 'github.com/apps/<slug>' }) slug!: string;
}

export class GitHubAppList {
  @ApiProperty({ type: [GitHubAppView] }) items!: GitHubAppView[];
}

export class StartGitHubAppInstallationRequest {
  @ApiProperty({ ...SLOT_SCHEMA, description: "'main' or an additional app #1–#10" }) @Validate(AppSlotConstraint) appSlot!: 'main' | number;
  @ApiPropertyOptional({ format: 'uuid', description: 'additional apps: the organization whose credentials the installation adds to' })
  @IsOptional() @IsUUID() organizationId?: string;
}

export class InstalledAccountView {
  @ApiProperty() id!: number;
  @ApiProperty() login!: string;
  @ApiProperty({ example: 'Organization' }) type!: string;
}

export class GitHubAppRefusalView {
  @ApiProperty({ type: Number, nullable: true, enum: [1, 2], description: 'which of the two conditions failed (1: permissions without an approval request; 2: the account is registered with the organization)' })
  condition!: 1 | 2 | null;
  @ApiProperty() code!: string;
  @ApiProperty() detail!: string;
}

export class GitHubAppInstallationView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ ...SLOT_SCHEMA }) appSlot!: 'main' | number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) organizationId!: string | null;
  @ApiProperty({ enum: ['pending', 'installed', 'refused', 'used'] }) status!: string;
  @ApiProperty({ type: Number, nullable: true, description: "GitHub's installation id: use it as installationId" }) installationId!: number | null;
  @ApiProperty({ type: InstalledAccountView, nullable: true }) account!: InstalledAccountView | null;
  @ApiProperty({ type: GitHubAppRefusalView, nullable: true }) refusal!: GitHubAppRefusalView | null;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) completedAt!: string | null;
}

export class StartedGitHubAppInstallationView extends GitHubAppInstallationView {
  @ApiProperty({ description: "open it in a browser: the app's installation page on GitHub (state included)" }) installUrl!: string;
}
