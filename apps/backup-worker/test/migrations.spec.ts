import { schemaDriftOf } from '@repovault/testing/support';
import { workerDataSourceSpec } from '../src/database/worker-data-source';

describe('backup-worker schema', () => {
  it('has migrations that produce exactly what the entities describe (generate a migration when this fails)', async () => {
    expect(await schemaDriftOf(workerDataSourceSpec)).toEqual([]);
  });
});
