import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import {
  type DomainEvent, EVENT_SUBSCRIBERS, JobName, type JobItem, assertValidJob, eventsQueueName, queueForJob,
} from '@repovault/contracts/jobs';
import { type JobsOptions, Queue } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { redisConnectionOptions } from './redis-connection';
import { DEFAULT_JOB_OPTIONS, QUEUE_SETTINGS, type QueueSettings } from './queue-settings';

export interface EnqueueOptions extends Omit<JobsOptions, 'jobId'> {
  /** for pool jobs: the worker pool whose queue receives it */
  pool?: string;
  /** deterministic ids make enqueueing idempotent */
  jobId?: string;
}

/** Validates and enqueues typed jobs; publishes domain events to each subscriber's queue. */
@Injectable()
export class JobProducer implements OnApplicationShutdown {
  private readonly queues = new Map<string, Queue>();

  constructor(@Inject(QUEUE_SETTINGS) private readonly settings: QueueSettings) {}

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: redisConnectionOptions(this.settings.redisUrl, 'producer'),
        prefix: this.settings.prefix,
        telemetry: new BullMQOtel({ tracerName: this.settings.service }),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      });
      queue.on('error', () => undefined); // surfaced by the failing add() and by readiness
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue(job: JobItem, options: EnqueueOptions = {}): Promise<string> {
    assertValidJob(job.name, job.data);
    const { pool, ...jobOptions } = options;
    const queueName = queueForJob(job.name, { pool });
    const added = await this.queue(queueName).add(job.name, job.data, jobOptions);
    return added.id ?? '';
  }

  /** Several jobs of one queue in one round trip (fan-out); each keeps its own deterministic id. */
  async enqueueMany(jobs: { job: JobItem; jobId: string }[], options: Omit<EnqueueOptions, 'jobId'> = {}): Promise<void> {
    if (jobs.length === 0) return;
    const { pool, ...jobOptions } = options;
    for (const { job } of jobs) assertValidJob(job.name, job.data);
    const first = jobs[0];
    if (!first) return;
    const queue = this.queue(queueForJob(first.job.name, { pool }));
    await queue.addBulk(jobs.map(({ job, jobId }) => ({ name: job.name, data: job.data, opts: { ...jobOptions, jobId } })));
  }

  /**
   * A recurring job (BullMQ job scheduler): one job per due time however many replicas call this,
   * because the scheduler id is the key. Calling again replaces the schedule.
   */
  async upsertSchedule(schedulerId: string, job: JobItem, repeat: { every: number } | { pattern: string; tz?: string }): Promise<void> {
    assertValidJob(job.name, job.data);
    const queueName = queueForJob(job.name, {});
    await this.queue(queueName).upsertJobScheduler(schedulerId, repeat, { name: job.name, data: job.data });
  }

  async removeSchedule(jobName: JobItem['name'], schedulerId: string): Promise<void> {
    await this.queue(queueForJob(jobName, {})).removeJobScheduler(schedulerId);
  }

  async publish(event: DomainEvent): Promise<void> {
    assertValidJob(JobName.DomainEvent, event);
    await Promise.all(
      EVENT_SUBSCRIBERS[event.type].map((subscriber) =>
        this.queue(eventsQueueName(subscriber)).add(JobName.DomainEvent, event, { attempts: 10 }),
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
