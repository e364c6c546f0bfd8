import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsIn, IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Min, ValidateIf, ValidateNested,
} from 'class-validator';

const FILE_KINDS = ['bundle', 'wiki-bundle', 'metadata', 'lfs', 'asset'] as const;

export class SnapshotFileBody {
  @IsString() @Length(1, 1_000) path!: string;
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex characters' }) sha256!: string;
  @IsInt() @Min(0) bytes!: number;
  @IsIn(FILE_KINDS) kind!: (typeof FILE_KINDS)[number];
}

/** The SnapshotRecord a worker reports; the catalogue entry is taken from the published manifest. */
export class SnapshotReportBody {
  @IsUUID() id!: string;
  @IsUUID() repositoryId!: string;
  @IsUUID() organizationId!: string;
  @IsUUID() planId!: string;
  @IsUUID() runId!: string;
  @IsString() @Length(1, 500) repositoryFullName!: string;
  @IsISO8601() createdAt!: string;
  @IsObject() refs!: Record<string, string>;
  @ValidateIf((_o: unknown, v: unknown) => v !== null) @IsObject() wikiRefs!: Record<string, string> | null;
  @IsObject() metadata!: Record<string, number>;
  @IsInt() @Min(0) lfsObjects!: number;
  @IsInt() @Min(0) sizeBytes!: number;
  @IsInt() @Min(0) newBytes!: number;
  @ArrayMaxSize(1_000_000) @ValidateNested({ each: true }) @Type(() => SnapshotFileBody) files!: SnapshotFileBody[];
}

export class RepositoryResultBody {
  @IsIn(['succeeded', 'failed', 'skipped']) status!: 'succeeded' | 'failed' | 'skipped';
  @IsOptional() @IsString() @Length(0, 10_000) error?: string;
  @IsOptional() @ValidateNested() @Type(() => SnapshotReportBody) snapshot?: SnapshotReportBody;
}
