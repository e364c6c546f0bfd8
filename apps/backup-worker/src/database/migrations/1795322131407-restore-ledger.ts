import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RestoreLedger1795322131407 implements MigrationInterface {
  name = 'RestoreLedger1795322131407';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"worker\".\"restore_ledger\" (\"restore_id\" uuid NOT NULL, \"kind\" character varying(64) NOT NULL, \"source_id\" character varying(500) NOT NULL, \"tenant_id\" uuid NOT NULL, \"state\" character varying(10) NOT NULL, \"target_id\" character varying(200), \"target_number\" integer, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_96d97b1b1e1aa3836fade048844\" PRIMARY KEY (\"restore_id\", \"kind\", \"source_id\"))");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE \"worker\".\"restore_ledger\"");
  }
}
