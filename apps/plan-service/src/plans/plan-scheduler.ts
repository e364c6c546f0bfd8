import { Injectable, Logger } from '@nestjs/common';
import type { PlanSchedule } from '@repovault/contracts/internal-api';
import { JobName, QueueName } from '@repovault/contracts/jobs';
import { JobProducer } from '@repovault/platform/queue';
import { scheduleRepeat, schedulerIdOf } from './plan-schedule';

/**
 * One BullMQ job scheduler per scheduled plan, keyed by the plan: BullMQ makes one due job per due
 * time however many replicas upsert or consume it, and the run it creates is keyed by that job's id.
 */
@Injectable()
export class PlanScheduler {
  private readonly logger = new Logger('PlanScheduler');

  constructor(private readonly producer: JobProducer) {}

  /** Sets (or replaces) the plan's scheduler, or removes it for a manual-only plan. */
  async apply(tenantId: string, planId: string, schedule: PlanSchedule): Promise<void> {
    if (schedule === null) return this.remove(planId);
    await this.producer.upsertSchedule(schedulerIdOf(planId), { name: JobName.PlanScheduleDue, data: { tenantId, planId } }, scheduleRepeat(schedule));
  }

  async remove(planId: string): Promise<void> {
    await this.producer.removeSchedule(JobName.PlanScheduleDue, schedulerIdOf(planId));
  }

  /** When each plan's next due job is, as the scheduler knows it; missing when unknown (or Redis is away). */
  async nextRunAt(planIds: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (planIds.length === 0) return out;
    const queue = this.producer.queue(QueueName.PlanSchedules);
    await Promise.all(
      planIds.map(async (planId) => {
        try {
          const scheduler = await queue.getJobScheduler(schedulerIdOf(planId));
          if (scheduler?.next) out.set(planId, new Date(scheduler.next).toISOString());
        } catch (error) {
          this.logger.debug({ planId, err: error }, 'next run time unavailable');
        }
      }),
    );
    return out;
  }
}
