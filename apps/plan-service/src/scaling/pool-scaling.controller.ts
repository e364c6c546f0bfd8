import { Controller, Get, Param, Query } from '@nestjs/common';
import { isValidPoolName } from '@repovault/contracts/jobs';
import { ProblemException, PublicRoute } from '@repovault/platform/http';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { PoolScaling } from './pool-scaling';
import { PoolScalingService } from './pool-scaling.service';

export class PoolScalingQuery {
  /** jobs one worker process of the pool runs at once (REPOVAULT_WORKER_CONCURRENCY of its workers) */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(256) concurrency?: number;
}

/**
 * What the autoscaler reads (KEDA metrics-api trigger: `valueLocation: desiredWorkers`, target 1).
 * Counts only, no tenant data; like /metrics it is unauthenticated, not routed by the gateway, and
 * the chart's NetworkPolicy admits only the release's pods and the autoscaler's namespace.
 */
@PublicRoute()
@Controller('scaling/pools')
export class PoolScalingController {
  constructor(private readonly scaling: PoolScalingService) {}

  @Get(':pool')
  pool(@Param('pool') pool: string, @Query() query: PoolScalingQuery): Promise<PoolScaling> {
    if (!isValidPoolName(pool)) {
      throw ProblemException.badRequest('The pool name must be 1-40 lowercase letters, digits and dashes, starting and ending with a letter or digit.', [{ field: 'pool', message: 'e.g. default or eu-west' }]);
    }
    return this.scaling.scaling(pool, query.concurrency);
  }
}
