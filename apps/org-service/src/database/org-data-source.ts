import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { OrgServiceInit1763770000000 } from './migrations/1763770000000-org-init';

export const ORG_SCHEMA = 'org';

export function orgDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'org',
    url,
    entities: [],
    migrations: [OrgServiceInit1763770000000],
    applicationName: 'repovault-org-service',
  };
}
