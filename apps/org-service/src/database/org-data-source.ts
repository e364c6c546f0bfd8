import type { ServiceDataSourceSpec } from '@repovault/platform/database';
import { OrganizationEntity } from '../organizations/organization.entity';
import { RepositoryEntity } from '../repositories/repository.entity';
import { OrgServiceInit1763770000000 } from './migrations/1763770000000-org-init';
import { OrganizationsAndRepositories1795309250567 } from './migrations/1795309250567-organizations-and-repositories';
import { RepositoryHasIssues1795320063368 } from './migrations/1795320063368-repository-has-issues';

export const ORG_SCHEMA = 'org';

export function orgDataSourceSpec(url: string): ServiceDataSourceSpec {
  return {
    schema: 'org',
    url,
    entities: [OrganizationEntity, RepositoryEntity],
    migrations: [OrgServiceInit1763770000000, OrganizationsAndRepositories1795309250567, RepositoryHasIssues1795320063368],
    applicationName: 'repovault-org-service',
  };
}
