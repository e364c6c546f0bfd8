import { schemaDriftOf } from '@repovault/testing/support';
import { gatewayDataSourceSpec } from '../src/database/gateway-data-source';

describe('api-gateway schema', () => {
  it('has migrations that produce exactly what the entities describe (generate a migration when this fails)', async () => {
    expect(await schemaDriftOf(gatewayDataSourceSpec)).toEqual([]);
  });
});
