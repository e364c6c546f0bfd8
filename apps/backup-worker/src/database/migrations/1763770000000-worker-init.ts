import type { MigrationInterface, QueryRunner } from 'typeorm';

export class BackupWorkerInit1763770000000 implements MigrationInterface {
  name = 'BackupWorkerInit1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "worker"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS "worker" CASCADE`);
  }
}
