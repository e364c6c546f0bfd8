import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { PlanEntity } from '../plans/plan.entity';
import { RunRepositoryEntity } from '../runs/run-repository.entity';
import { RunEntity } from '../runs/run.entity';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { PlanServiceInit1763770000000 } from './migrations/1763770000000-plan-init';
import { PlansRunsAndSnapshots1795310863385 } from './migrations/1795310863385-plans-runs-and-snapshots';

export const PLAN_SCHEMA = 'plan';

export function planDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'plan',
    url,
    entities: [PlanEntity, RunEntity, RunRepositoryEntity, SnapshotEntity],
    migrations: [PlanServiceInit1763770000000, PlansRunsAndSnapshots1795310863385],
    applicationName: 'repovault-plan-service',
  };
}
