import { schemaDriftOf } from '@repovault/testing/support';
import { credentialDataSourceSpec } from '../src/database/credential-data-source';

describe('credential-service schema', () => {
  it('has migrations that produce exactly what the entities describe (generate a migration when this fails)', async () => {
    expect(await schemaDriftOf(credentialDataSourceSpec)).toEqual([]);
  });
});
