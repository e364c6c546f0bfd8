import { Column, Entity, type MigrationInterface, PrimaryGeneratedColumn, type QueryRunner } from 'typeorm';
import { Client } from 'pg';
import { ensureDatabaseExists, migrateSchema, pendingSchemaChanges, serviceDataSourceOptions } from '../src';

@Entity({ name: 'things' })
class Thing {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 20 }) name!: string;
}

class CreateThings1700000000000 implements MigrationInterface {
  name = 'CreateThings1700000000000';
  async up(q: QueryRunner) {
    await q.query(`CREATE TABLE "dbtest"."things" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" character varying(20) NOT NULL, CONSTRAINT "PK_things" PRIMARY KEY ("id"))`);
  }
  async down(q: QueryRunner) {
    await q.query(`DROP TABLE "dbtest"."things"`);
  }
}

const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432';

async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: `${LOCAL_POSTGRES}/postgres` });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
}

describe('migrations', () => {
  const name = `repovault_dbtest_${process.pid}`;
  const url = `${LOCAL_POSTGRES}/${name}`;
  const spec = { schema: 'dbtest', url, entities: [Thing], migrations: [CreateThings1700000000000] };
  afterAll(async () => {
    await dropDatabase(name);
  });

  it('creates the database, applies migrations once even when run concurrently, and reports no drift', async () => {
    await Promise.all([ensureDatabaseExists(url), ensureDatabaseExists(url)]);
    const runs = await Promise.all([migrateSchema(serviceDataSourceOptions(spec)), migrateSchema(serviceDataSourceOptions(spec))]);
    expect(runs.flat()).toEqual(['CreateThings1700000000000']);
    expect(await migrateSchema(serviceDataSourceOptions(spec))).toEqual([]);
    expect(await pendingSchemaChanges(serviceDataSourceOptions(spec))).toEqual([]);
  });

  it('reports drift when an entity has a column no migration creates', async () => {
    @Entity({ name: 'things' })
    class WiderThing extends Thing {
      @Column({ type: 'int', default: 0 }) size!: number;
    }
    const drift = await pendingSchemaChanges(serviceDataSourceOptions({ ...spec, entities: [WiderThing] }));
    expect(drift.join('\n')).toContain('ADD "size" integer');
  });
});
