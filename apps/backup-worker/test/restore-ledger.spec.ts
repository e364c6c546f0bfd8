import { serviceDataSourceOptions } from '@repovault/platform/database';
import { restoreOnce } from '@repovault/providers/core';
import { TEST_DATABASE_URL, prepareTestDatabase } from '@repovault/testing/support';
import { randomUUID } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { workerDataSourceSpec } from '../src/database/worker-data-source';
import { PostgresRestoreLedger } from '../src/restore/postgres-restore-ledger';
import { RestoreLedgerEntity } from '../src/restore/restore-ledger.entity';

describe('the restore ledger in PostgreSQL', () => {
  let dataSource: DataSource;
  let rows: Repository<RestoreLedgerEntity>;
  const tenantId = randomUUID();

  beforeAll(async () => {
    await prepareTestDatabase(workerDataSourceSpec);
    dataSource = await new DataSource(serviceDataSourceOptions(workerDataSourceSpec(TEST_DATABASE_URL))).initialize();
    rows = dataSource.getRepository(RestoreLedgerEntity);
  });
  afterAll(async () => {
    await rows?.delete({ tenantId });
    await dataSource?.destroy();
  });

  it('survives the process: a new ledger of the same restore (a restarted job) sees what the first wrote', async () => {
    const restoreId = randomUUID();
    const first = new PostgresRestoreLedger(rows, tenantId, restoreId);
    await restoreOnce(first, 'issues', '1001', { find: async () => null, create: async () => ({ targetId: '9', targetNumber: 1 }) });
    await first.begin('issue-comments', '77');

    const again = new PostgresRestoreLedger(rows, tenantId, restoreId);
    expect(await again.get('issues', '1001')).toEqual({ kind: 'issues', sourceId: '1001', state: 'done', targetId: '9', targetNumber: 1 });
    expect(await again.get('issue-comments', '77')).toMatchObject({ state: 'pending', targetId: null });
    const create = jest.fn(async () => ({ targetId: 'duplicate' }));
    expect(await restoreOnce(again, 'issues', '1001', { find: async () => null, create })).toMatchObject({ created: false, ref: { targetNumber: 1 } });
    expect(create).not.toHaveBeenCalled();
    // the pending comment is looked for before anything is written
    const found = await restoreOnce(again, 'issue-comments', '77', { find: async () => ({ targetId: '5001' }), create });
    expect(found).toEqual({ ref: { targetId: '5001' }, created: false });
    expect([...(await new PostgresRestoreLedger(rows, tenantId, restoreId).entries('issue-comments')).values()]).toEqual([
      { kind: 'issue-comments', sourceId: '77', state: 'done', targetId: '5001', targetNumber: null },
    ]);
  });

  it('keeps restores apart', async () => {
    const a = new PostgresRestoreLedger(rows, tenantId, randomUUID());
    const b = new PostgresRestoreLedger(rows, tenantId, randomUUID());
    await a.complete('labels', 'bug', { targetId: 'bug' });
    expect(await b.get('labels', 'bug')).toBeNull();
    expect((await a.entries('labels')).size).toBe(1);
  });
});
