import { schemaDriftOf } from '@repovault/testing/support';
import { planDataSourceSpec } from '../src/database/plan-data-source';

describe('plan-service schema', () => {
  it('has migrations that produce exactly what the entities describe (generate a migration when this fails)', async () => {
    expect(await schemaDriftOf(planDataSourceSpec)).toEqual([]);
  });
});
