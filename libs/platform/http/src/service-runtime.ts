import type { ServiceName } from '@repovault/contracts/jobs';
import type { Logger } from '@repovault/platform/logging';
import { ReadinessRegistry } from './health/readiness';
import { MetricsRegistry } from './metrics/metrics';

/** What every service process has once, created in main.ts before Nest starts. */
export class ServiceRuntime {
  readonly readiness = new ReadinessRegistry();
  readonly metrics: MetricsRegistry;

  private readonly shutdownHooks: (() => Promise<void>)[] = [];

  constructor(readonly service: ServiceName, readonly logger: Logger) {
    this.metrics = new MetricsRegistry(service);
  }

  /** Runs after Nest has closed (e.g. flushing telemetry). */
  onShutdown(hook: () => Promise<void>): void {
    this.shutdownHooks.push(hook);
  }

  async shutdown(): Promise<void> {
    for (const hook of this.shutdownHooks.splice(0)) {
      await hook().catch((error: unknown) => this.logger.warn({ err: error }, 'shutdown hook failed'));
    }
    this.logger.flush();
  }
}

export const LOGGER = Symbol('LOGGER');
