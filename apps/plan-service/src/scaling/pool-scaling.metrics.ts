import { Injectable, type OnModuleInit } from '@nestjs/common';
import { MetricsRegistry } from '@repovault/platform/http';
import { Gauge } from 'prom-client';
import type { PoolScaling } from './pool-scaling';
import { PoolScalingService } from './pool-scaling.service';

type Figure = (s: PoolScaling) => number;

const FIGURES: Record<string, { help: string; value: Figure }> = {
  repovault_pool_runnable_jobs: { help: 'Jobs of the pool a free worker slot would start (waiting + prioritized + delayed)', value: (s) => s.runnableBacklog },
  repovault_pool_active_jobs: { help: 'Jobs of the pool running now', value: (s) => s.jobs.active },
  repovault_pool_live_workers: { help: 'Worker processes of the pool that reported in the last 20 s', value: (s) => s.workers.live },
  repovault_pool_waiting_for_budget: { help: 'Provider calls of the pool waiting for a rate-limit reservation', value: (s) => s.waitingForBudget },
  repovault_pool_budget_bound: { help: '1 when most active jobs of the pool wait for rate-limit budgets (more workers would not help)', value: (s) => (s.budgetBound ? 1 : 0) },
  repovault_pool_desired_workers: { help: 'Worker processes the pool should run (HPA external metric, target averageValue 1)', value: (s) => s.desiredWorkers },
};

/** The pools' scaling figures on /metrics, read on each scrape, for an HPA through a metrics adapter. */
@Injectable()
export class PoolScalingMetrics implements OnModuleInit {
  constructor(private readonly metrics: MetricsRegistry, private readonly scaling: PoolScalingService) {}

  onModuleInit(): void {
    if (this.metrics.registry.getSingleMetric('repovault_pool_desired_workers')) return;
    const gauges: { figure: Figure; gauge: Gauge<'pool'> }[] = [];
    const scaling = this.scaling;
    const refresh = async () => {
      for (const pool of scaling.knownPools) {
        try {
          const figures = await scaling.scaling(pool);
          for (const { figure, gauge } of gauges) gauge.set({ pool }, figure(figures));
        } catch {
          // Redis down: readiness says so; keep the last values
        }
      }
    };
    // a scrape collects every gauge at once: they share one reading of the pools
    let reading: Promise<void> | null = null;
    const collect = () => (reading ??= refresh().finally(() => (reading = null)));
    for (const [name, { help, value }] of Object.entries(FIGURES)) {
      gauges.push({ figure: value, gauge: new Gauge({ name, help, labelNames: ['pool'], registers: [this.metrics.registry], collect }) });
    }
  }
}
