import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { PublicListQuery } from '../common/list-query.dto';

const RUN_STATUSES = ['queued', 'running', 'succeeded', 'partially-failed', 'failed', 'cancelled'] as const;
const REPOSITORY_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped'] as const;

export class RunListQuery extends PublicListQuery {
  @ApiPropertyOptional({ format: 'uuid', description: "only this plan's runs" }) @IsOptional() @IsUUID() planId?: string;
}

export class RunRepositoryCountsView {
  @ApiProperty() total!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty({ description: 'not finished yet (pending or running)' }) pending!: number;
}

export class ApiCallsView {
  @ApiProperty({ description: 'provider API calls made for the run' }) total!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' }, description: 'calls per credential id', example: { '00000000-0000-4000-8000-000000000000': 120 } })
  byCredential!: Record<string, number>;
}

export class ThrottleView {
  @ApiProperty({ description: 'time spent pacing ahead of rate limits' }) waitMs!: number;
  @ApiProperty({ description: 'provider rate-limit refusals (403/429) met during the run; the goal is 0' }) refusals!: number;
}

export class RunErrorView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null for an error of the run as a whole' }) repositoryId!: string | null;
  @ApiProperty() message!: string;
}

export class RunView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) planId!: string;
  @ApiProperty({ format: 'uuid' }) organizationId!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true, description: 'why a queued run has not started, e.g. no worker of its pool is running' }) statusDetail!: string | null;
  @ApiProperty({ enum: ['manual', 'schedule'] }) trigger!: string;
  @ApiProperty() workerPool!: string;
  @ApiProperty({ format: 'date-time' }) queuedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: RunRepositoryCountsView }) repositories!: RunRepositoryCountsView;
  @ApiProperty({ type: ApiCallsView }) apiCalls!: ApiCallsView;
  @ApiProperty({ type: ThrottleView }) throttle!: ThrottleView;
  @ApiProperty({ type: [RunErrorView] }) errors!: RunErrorView[];
}

export class RunPage {
  @ApiProperty({ type: [RunView] }) items!: RunView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class RunRepositoryView {
  @ApiProperty({ format: 'uuid' }) repositoryId!: string;
  @ApiProperty({ example: 'acme/widgets' }) fullName!: string;
  @ApiProperty({ enum: REPOSITORY_STATUSES }) status!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) snapshotId!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) startedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
}

export class RunRepositoryPage {
  @ApiProperty({ type: [RunRepositoryView] }) items!: RunRepositoryView[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
