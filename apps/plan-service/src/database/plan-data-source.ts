import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { PlanServiceInit1763770000000 } from './migrations/1763770000000-plan-init';

export const PLAN_SCHEMA = 'plan';

export function planDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'plan',
    url,
    entities: [],
    migrations: [PlanServiceInit1763770000000],
    applicationName: 'repovault-plan-service',
  };
}
