import { IsInt, IsOptional, IsString, IsUUID, Length, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';

@ValidatorConstraint({ name: 'appSlot' })
export class AppSlotConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === 'main' || (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 10);
  }

  defaultMessage(): string {
    return "appSlot must be 'main' or an additional app's number from 1 to 10";
  }
}

export class StartInstallationBody {
  @Validate(AppSlotConstraint) appSlot!: 'main' | number;
  @IsOptional() @IsUUID() organizationId?: string;
}

export class InstallationCallbackBody {
  @IsString() @Length(1, 500) state!: string;
  @IsOptional() @IsInt() @Min(1) installationId?: number;
  @IsOptional() @IsString() @Length(1, 40) setupAction?: string;
}
