import { Injectable, Logger } from '@nestjs/common';
import { JobName, type JobOf } from '@repovault/contracts/jobs';
import { ServiceUnreachableError, UpstreamProblemError } from '@repovault/platform/http';
import { type JobContext, HandlesJob, PermanentJobError, RetryLaterError } from '@repovault/platform/queue';
import { RunsService } from './runs.service';

@Injectable()
export class ScheduledRunsHandler {
  private readonly logger = new Logger('ScheduledRuns');

  constructor(private readonly runs: RunsService) {}

  /** A due time of a plan's schedule: its job id (unique per scheduler and due time) keys the one run it creates. */
  @HandlesJob(JobName.PlanScheduleDue)
  async due(job: JobOf<typeof JobName.PlanScheduleDue>, context: JobContext): Promise<void> {
    try {
      const run = await this.runs.startScheduled(job.tenantId, job.planId, context.jobId);
      // deleting a plan or setting its schedule to null removes its scheduler; a due job already waiting is ignored
      if (!run) this.logger.log({ planId: job.planId }, 'due job of a plan that no longer runs on a schedule ignored');
    } catch (error) {
      if (error instanceof UpstreamProblemError && error.problem.status === 404) throw new PermanentJobError('the organization of the plan no longer exists');
      if (error instanceof ServiceUnreachableError) throw new RetryLaterError(30_000, error.message);
      throw error;
    }
  }
}
