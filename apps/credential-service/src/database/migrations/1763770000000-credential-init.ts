import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CredentialServiceInit1763770000000 implements MigrationInterface {
  name = 'CredentialServiceInit1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "credential"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS "credential" CASCADE`);
  }
}
