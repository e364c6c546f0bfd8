import { type DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { RestoresController } from '../restores/restores.controller';
import { RunsController } from '../runs/runs.controller';
import { SnapshotsController } from '../snapshots/snapshots.controller';
import { UpstreamClients } from '../upstream/upstream-clients';
import { PlansController } from './plans.controller';

/** The public routes answered by plan-service: plans, runs, snapshots and restores (auth is the gateway's global guard). */
@Module({})
export class PlanServiceApiModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: PlanServiceApiModule,
      controllers: [PlansController, RunsController, SnapshotsController, RestoresController],
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }, UpstreamClients],
    };
  }
}
