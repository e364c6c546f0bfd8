import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlanServiceInit1763770000000 implements MigrationInterface {
  name = 'PlanServiceInit1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "plan"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS "plan" CASCADE`);
  }
}
