import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { PlanEntity } from '../plans/plan.entity';
import { RunRepositoryEntity } from '../runs/run-repository.entity';
import { RunEntity } from '../runs/run.entity';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { RestoreEntity } from '../restores/restore.entity';
import { PlanServiceInit1763770000000 } from './migrations/1763770000000-plan-init';
import { PlansRunsAndSnapshots1795310863385 } from './migrations/1795310863385-plans-runs-and-snapshots';
import { Restores1795322255716 } from './migrations/1795322255716-restores';

export const PLAN_SCHEMA = 'plan';

export function planDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'plan',
    url,
    entities: [PlanEntity, RunEntity, RunRepositoryEntity, SnapshotEntity, RestoreEntity],
    migrations: [PlanServiceInit1763770000000, PlansRunsAndSnapshots1795310863385, Restores1795322255716],
    applicationName: 'repovault-plan-service',
  };
}
