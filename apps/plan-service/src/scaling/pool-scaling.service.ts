import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { WORKER_LOAD_STALE_MS, type WorkerLoadReport, workQueueName, workerLoadKey } from '@repovault/contracts/jobs';
import { ProblemException } from '@repovault/platform/http';
import { JobProducer, createRedisClient } from '@repovault/platform/queue';
import type { Redis } from 'ioredis';
import { PLAN_SERVICE_CONFIG, type PlanServiceConfig } from '../config/plan-service.config';
import { type PoolScaling, decideWorkers } from './pool-scaling';

/** Reads a pool's queue and its workers' reports from Redis and decides how many workers it needs. */
@Injectable()
export class PoolScalingService implements OnApplicationShutdown {
  private readonly redis: Redis;

  constructor(
    private readonly producer: JobProducer,
    @Inject(PLAN_SERVICE_CONFIG) private readonly config: PlanServiceConfig,
  ) {
    // fails fast when Redis is away: the autoscaler gets a 503 rather than a hanging request
    this.redis = createRedisClient(config.REDIS_URL, 'producer', 'plan-service-pool-scaling');
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }

  /** Pools whose figures /metrics always exports (the chart lists every pool it deploys). */
  get knownPools(): string[] {
    return [...this.config.REPOVAULT_WORKER_POOLS.keys()];
  }

  /**
   * @param concurrency jobs per worker process when the caller knows it (the chart passes each
   * pool's value); otherwise what live workers report, else REPOVAULT_WORKER_POOLS, else 8
   */
  async scaling(pool: string, concurrency?: number): Promise<PoolScaling> {
    const queue = this.producer.queue(workQueueName(pool));
    let counts: Record<string, number>;
    let reports: WorkerLoadReport[];
    try {
      [counts, reports] = await Promise.all([queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'), this.liveReports(pool)]);
    } catch {
      throw ProblemException.unavailable('redis-unavailable', 'The queue cannot be read right now; try again shortly.');
    }
    const reported = Math.max(0, ...reports.map((r) => r.concurrency));
    return decideWorkers({
      pool,
      jobs: { waiting: counts['waiting'] ?? 0, prioritized: counts['prioritized'] ?? 0, delayed: counts['delayed'] ?? 0, active: counts['active'] ?? 0 },
      liveWorkers: reports.length,
      concurrency: concurrency ?? (reported || this.configuredConcurrency(pool)),
      waitingForBudget: reports.reduce((n, r) => n + r.waitingForBudget, 0),
    });
  }

  private configuredConcurrency(pool: string): number {
    return this.config.REPOVAULT_WORKER_POOLS.get(pool) ?? DEFAULT_CONCURRENCY;
  }

  /** The reports of workers alive now; those of workers gone silent are dropped. */
  private async liveReports(pool: string): Promise<WorkerLoadReport[]> {
    const redis = this.redis;
    const key = workerLoadKey(this.config.REPOVAULT_QUEUE_PREFIX, pool);
    const entries = await redis.hgetall(key);
    const live: WorkerLoadReport[] = [];
    const stale: string[] = [];
    for (const [worker, raw] of Object.entries(entries)) {
      const report = parseReport(raw);
      if (report && Date.now() - report.at <= WORKER_LOAD_STALE_MS) live.push(report);
      else stale.push(worker);
    }
    if (stale.length > 0) await redis.hdel(key, ...stale).catch(() => undefined);
    return live;
  }
}

const DEFAULT_CONCURRENCY = 8;

function parseReport(raw: string): WorkerLoadReport | null {
  try {
    const value = JSON.parse(raw) as Partial<WorkerLoadReport>;
    if (typeof value.at !== 'number' || typeof value.concurrency !== 'number' || typeof value.waitingForBudget !== 'number') return null;
    return value as WorkerLoadReport;
  } catch {
    return null;
  }
}
