import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrgServiceInit1763770000000 implements MigrationInterface {
  name = 'OrgServiceInit1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "org"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS "org" CASCADE`);
  }
}
