import { Injectable } from '@nestjs/common';
import { JobName, type JobOf } from '@repovault/contracts/jobs';
import { type JobContext, HandlesJob } from '@repovault/platform/queue';
import { RepositoryRestore } from './repository-restore';

@Injectable()
export class RestoreJobsHandler {
  constructor(private readonly restore: RepositoryRestore) {}

  @HandlesJob(JobName.RestoreRun)
  async run(job: JobOf<typeof JobName.RestoreRun>, context: JobContext): Promise<void> {
    await this.restore.run(job, context);
  }
}
