import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type Type } from '@nestjs/common';
import { Processor, WorkerHost } from '@nestjs/bullmq';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import { ReadinessRegistry } from '@repovault/platform/http';
import { redisConnectionOptions } from './redis-connection';
import { JobHandlerRegistry } from './job-handler-registry';
import { PermanentJobError, RetryLaterError } from './job-handlers';
import type { QueueSettings } from './queue-settings';

export interface ConsumedQueue {
  name: string;
  concurrency: number;
  /** lock duration for long jobs; renewed automatically by BullMQ while the job runs */
  lockDurationMs?: number;
}

/** Base of the processors created per consumed queue: dispatches to the registry. */
export abstract class DispatchingProcessor extends WorkerHost {
  private running = 0;

  constructor(protected readonly registry: JobHandlerRegistry) {
    super();
  }

  /** Jobs this process is running right now. */
  get activeJobs(): number {
    return this.running;
  }

  override async process(job: Job, token?: string): Promise<unknown> {
    this.running++;
    try {
      return await this.registry.dispatch(job.name, job.data, {
        jobId: job.id ?? '',
        queueName: job.queueName,
        attemptsMade: job.attemptsMade,
        maxAttempts: job.opts.attempts ?? 1,
        extendLock: async (ms) => {
          if (token) await job.extendLock(token, ms);
        },
        updateProgress: (progress) => job.updateProgress(progress),
      });
    } catch (error) {
      if (error instanceof RetryLaterError) {
        // delayed without spending an attempt
        await job.moveToDelayed(Date.now() + error.delayMs, token);
        throw new DelayedError(error.message);
      }
      if (error instanceof PermanentJobError) throw new UnrecoverableError(error.message);
      throw error;
    } finally {
      this.running--;
    }
  }
}

/** Creates a processor class bound to one queue; BullMQ workers start paused (autorun off). */
export function processorFor(queue: ConsumedQueue, settings: QueueSettings): Type<DispatchingProcessor> {
  @Processor(queue.name, {
    autorun: false,
    concurrency: queue.concurrency,
    connection: redisConnectionOptions(settings.redisUrl, 'worker'),
    prefix: settings.prefix,
    lockDuration: queue.lockDurationMs ?? 60_000,
    // a dead worker's job is taken over one lock period after its last heartbeat
    stalledInterval: Math.min(queue.lockDurationMs ?? 30_000, 30_000),
    maxStalledCount: 3,
  })
  @Injectable()
  class QueueProcessor extends DispatchingProcessor {
    constructor(registry: JobHandlerRegistry) {
      super(registry);
    }
  }
  Object.defineProperty(QueueProcessor, 'name', { value: `Processor(${queue.name})` });
  return QueueProcessor;
}

export const CONSUMER_PROCESSORS = Symbol('CONSUMER_PROCESSORS');

/**
 * Starts the workers only once every readiness check passes, pauses them while a dependency is
 * down and resumes them when it is back. On SIGTERM the workers are drained before anything else
 * closes: they take no new job and the active ones finish while HTTP clients, Redis, PostgreSQL and
 * the egress proxy are still open (a job that outlives the pod's grace period is taken over by
 * another worker once its lock expires, and runs again idempotently).
 */
@Injectable()
export class ConsumerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Consumers');
  private readonly abort = new AbortController();
  private watchdog?: NodeJS.Timeout;
  private paused = false;

  constructor(
    @Inject(CONSUMER_PROCESSORS) private readonly processors: DispatchingProcessor[],
    private readonly readiness: ReadinessRegistry,
  ) {}

  onApplicationBootstrap(): void {
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      await this.readiness.waitUntilReady({
        signal: this.abort.signal,
        onWait: (report) => this.logger.warn({ checks: report.checks }, 'waiting for dependencies before consuming jobs'),
      });
    } catch {
      return; // shut down while waiting
    }
    for (const processor of this.processors) {
      processor.worker.on('error', (error) => this.logger.warn({ err: error }, 'worker error'));
      void processor.worker.run().catch((error: unknown) => this.logger.error({ err: error }, 'worker stopped'));
    }
    this.logger.log(`consuming ${this.processors.map((p) => p.worker.name).join(', ')}`);
    this.watchdog = setInterval(() => void this.watch(), 5_000);
    this.watchdog.unref();
  }

  private async watch(): Promise<void> {
    const report = await this.readiness.evaluate();
    if (!report.ready && !this.paused) {
      this.paused = true;
      this.logger.warn({ checks: report.checks }, 'dependency down: pausing job consumption');
      for (const p of this.processors) p.worker.pause(true).catch(() => undefined);
    } else if (report.ready && this.paused) {
      this.paused = false;
      this.logger.log('dependencies back: resuming job consumption');
      for (const p of this.processors) void p.worker.resume();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    if (this.watchdog) clearInterval(this.watchdog);
    const active = this.processors.reduce((n, p) => n + p.activeJobs, 0);
    if (active > 0) this.logger.log(`draining: no new jobs; letting ${active} active job(s) finish`);
    await Promise.all(this.processors.map((p) => p.worker.close().catch((error: unknown) => this.logger.warn(error))));
    if (active > 0) this.logger.log(`drained: ${active} job(s) finished`);
  }

  onApplicationShutdown(): void {
    this.abort.abort();
    if (this.watchdog) clearInterval(this.watchdog);
  }
}

