import { type BeforeApplicationShutdown, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { WORKER_LOAD_INTERVAL_MS, WORKER_LOAD_STALE_MS, type WorkerLoadReport, workerLoadKey } from '@repovault/contracts/jobs';
import type { ReservationWaits } from '@repovault/providers/transport';
import type { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export interface WorkerLoadSettings {
  queuePrefix: string;
  pool: string;
  concurrency: number;
  intervalMs?: number;
}

/**
 * Tells the autoscaler (plan-service's pool scaling endpoint) that this worker serves its pool, how
 * many jobs it runs at once and how many of its provider calls wait for a rate-limit reservation.
 */
export class WorkerLoadReporter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('WorkerLoad');
  readonly workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private readonly key: string;

  constructor(private readonly redis: Redis, private readonly waits: ReservationWaits, private readonly settings: WorkerLoadSettings) {
    this.key = workerLoadKey(settings.queuePrefix, settings.pool);
  }

  onApplicationBootstrap(): void {
    void this.report();
    this.timer = setInterval(() => void this.report(), this.settings.intervalMs ?? WORKER_LOAD_INTERVAL_MS);
    this.timer.unref();
  }

  async report(): Promise<void> {
    const report: WorkerLoadReport = { pool: this.settings.pool, concurrency: this.settings.concurrency, waitingForBudget: this.waits.current, at: Date.now() };
    try {
      await this.redis.multi().hset(this.key, this.workerId, JSON.stringify(report)).pexpire(this.key, WORKER_LOAD_STALE_MS * 3).exec();
    } catch (error) {
      this.logger.debug({ err: error }, 'worker load not reported (Redis unavailable)');
    }
  }

  /** a worker that drains takes no new jobs: it no longer counts for its pool */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.redis.hdel(this.key, this.workerId).catch(() => undefined);
  }
}
