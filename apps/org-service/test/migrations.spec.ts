import { schemaDriftOf } from '@repovault/testing/support';
import { orgDataSourceSpec } from '../src/database/org-data-source';

describe('org-service schema', () => {
  it('has migrations that produce exactly what the entities describe (generate a migration when this fails)', async () => {
    expect(await schemaDriftOf(orgDataSourceSpec)).toEqual([]);
  });
});
