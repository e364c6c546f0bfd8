import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '@repovault/platform/http';
import { Gauge } from 'prom-client';
import { JobProducer } from './job-producer';

export const BACKLOG_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'failed'] as const;

/** `queue_jobs{queue,state}` for the queues this service consumes, read on each scrape. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  private queues: string[] = [];

  constructor(private readonly metrics: MetricsRegistry, private readonly producer: JobProducer) {}

  watch(queues: string[]): void {
    this.queues = queues;
  }

  onModuleInit(): void {
    if (this.metrics.registry.getSingleMetric('queue_jobs')) return;
    const producer = this.producer;
    const queues = () => this.queues;
    new Gauge({
      name: 'queue_jobs',
      help: 'Jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.metrics.registry],
      async collect() {
        for (const name of queues()) {
          try {
            const counts = await producer.queue(name).getJobCounts(...BACKLOG_STATES);
            for (const state of BACKLOG_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
          } catch {
            // Redis down: readiness says so; keep the last values
          }
        }
      },
    });
  }
}
