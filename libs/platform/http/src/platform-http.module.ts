import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { HealthController } from './health/health.controller';
import { ReadinessRegistry } from './health/readiness';
import { InternalAuthGuard, PeerTokenDirectory } from './internal/internal-auth.guard';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsRegistry } from './metrics/metrics';
import { LOGGER, ServiceRuntime } from './service-runtime';

@Injectable()
class RuntimeShutdown implements OnApplicationShutdown {
  constructor(@Inject(ServiceRuntime) private readonly runtime: ServiceRuntime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.shutdown();
  }
}

export interface PlatformHttpOptions {
  runtime: ServiceRuntime;
  /** internal services: peers' tokens; the gateway brings its own API-key guard instead */
  peerTokens?: ReadonlyMap<string, string>;
}

/** Health, metrics, logger and (for internal services) the service-token guard. */
@Global()
@Module({})
export class PlatformHttpModule {
  static forRoot({ runtime, peerTokens }: PlatformHttpOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: ReadinessRegistry, useValue: runtime.readiness },
      { provide: MetricsRegistry, useValue: runtime.metrics },
      { provide: LOGGER, useValue: runtime.logger },
      { provide: ServiceRuntime, useValue: runtime },
      RuntimeShutdown,
    ];
    if (peerTokens) {
      providers.push({ provide: PeerTokenDirectory, useValue: new PeerTokenDirectory(peerTokens) });
      providers.push({ provide: APP_GUARD, useClass: InternalAuthGuard });
    }
    return {
      module: PlatformHttpModule,
      imports: [DiscoveryModule],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [ReadinessRegistry, MetricsRegistry, LOGGER, ServiceRuntime],
    };
  }
}
