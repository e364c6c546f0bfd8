import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Restores1795322255716 implements MigrationInterface {
  name = 'Restores1795322255716';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"plan\".\"restores\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"snapshot_id\" uuid NOT NULL, \"source_organization_id\" uuid NOT NULL, \"source_repository_id\" uuid NOT NULL, \"source_full_name\" character varying(500) NOT NULL, \"target_organization_id\" uuid NOT NULL, \"target_repository_name\" character varying(200) NOT NULL, \"mode\" character varying(20) NOT NULL, \"delete_extra_refs\" boolean NOT NULL, \"include\" jsonb NOT NULL, \"status\" character varying(24) NOT NULL, \"status_detail\" text, \"worker_pool\" character varying(40) NOT NULL, \"target_full_name\" character varying(500), \"target_url\" text, \"items\" jsonb NOT NULL, \"not_restored\" jsonb NOT NULL, \"errors\" jsonb NOT NULL, \"idempotency_key\" character varying(200), \"queued_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_1616b6cbb2df0bdeb75607c91f8\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"restores_idempotency_uq\" ON \"plan\".\"restores\"  (\"tenant_id\", \"idempotency_key\") ");
    await q.query("CREATE INDEX \"restores_tenant_queued_idx\" ON \"plan\".\"restores\"  (\"tenant_id\", \"queued_at\") ");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"plan\".\"restores_tenant_queued_idx\"");
    await q.query("DROP INDEX \"plan\".\"restores_idempotency_uq\"");
    await q.query("DROP TABLE \"plan\".\"restores\"");
  }
}
