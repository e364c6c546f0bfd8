import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PlansRunsAndSnapshots1795310863385 implements MigrationInterface {
  name = 'PlansRunsAndSnapshots1795310863385';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"plan\".\"plans\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"organization_id\" uuid NOT NULL, \"name\" character varying(200) NOT NULL, \"is_default\" boolean NOT NULL, \"repositories\" jsonb NOT NULL, \"include\" jsonb NOT NULL, \"schedule\" jsonb, \"keep_last\" integer NOT NULL, \"additional_credentials_enabled\" boolean NOT NULL, \"credential_ids\" uuid array NOT NULL, \"worker_pool\" character varying(40), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"deleted_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_3720521a81c7c24fe9b7202ba61\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"plans_default_uq\" ON \"plan\".\"plans\"  (\"organization_id\") WHERE \"is_default\"");
    await q.query("CREATE INDEX \"plans_tenant_org_idx\" ON \"plan\".\"plans\"  (\"tenant_id\", \"organization_id\", \"created_at\") ");
    await q.query("CREATE TABLE \"plan\".\"run_repositories\" (\"run_id\" uuid NOT NULL, \"repository_id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"full_name\" character varying(500) NOT NULL, \"status\" character varying(16) NOT NULL, \"snapshot_id\" uuid, \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"error\" text, CONSTRAINT \"PK_cbfa784230fc71ee83b018795ac\" PRIMARY KEY (\"run_id\", \"repository_id\"))");
    await q.query("CREATE INDEX \"run_repositories_run_name_idx\" ON \"plan\".\"run_repositories\"  (\"run_id\", \"full_name\", \"repository_id\") ");
    await q.query("CREATE TABLE \"plan\".\"runs\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"plan_id\" uuid NOT NULL, \"organization_id\" uuid NOT NULL, \"status\" character varying(24) NOT NULL, \"trigger\" character varying(16) NOT NULL, \"worker_pool\" character varying(40) NOT NULL, \"include\" jsonb NOT NULL, \"selection\" jsonb NOT NULL, \"queued_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"started_at\" TIMESTAMP WITH TIME ZONE, \"finished_at\" TIMESTAMP WITH TIME ZONE, \"error\" text, \"idempotency_key\" character varying(200), \"schedule_key\" character varying(300), CONSTRAINT \"PK_46d6a1e257c38ba58f1a3c30836\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"runs_schedule_uq\" ON \"plan\".\"runs\"  (\"plan_id\", \"schedule_key\") ");
    await q.query("CREATE UNIQUE INDEX \"runs_idempotency_uq\" ON \"plan\".\"runs\"  (\"tenant_id\", \"idempotency_key\") ");
    await q.query("CREATE INDEX \"runs_tenant_plan_queued_idx\" ON \"plan\".\"runs\"  (\"tenant_id\", \"plan_id\", \"queued_at\") ");
    await q.query("CREATE INDEX \"runs_tenant_queued_idx\" ON \"plan\".\"runs\"  (\"tenant_id\", \"queued_at\") ");
    await q.query("CREATE TABLE \"plan\".\"snapshots\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"organization_id\" uuid NOT NULL, \"repository_id\" uuid NOT NULL, \"plan_id\" uuid NOT NULL, \"run_id\" uuid NOT NULL, \"repository_full_name\" character varying(500) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"refs\" jsonb NOT NULL, \"wiki_refs\" jsonb, \"metadata\" jsonb NOT NULL, \"lfs_objects\" integer NOT NULL, \"size_bytes\" bigint NOT NULL, \"new_bytes\" bigint NOT NULL, \"files\" jsonb NOT NULL, \"recorded_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_f5661b5fd4224d23e26a631986b\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"snapshots_run_repository_uq\" ON \"plan\".\"snapshots\"  (\"run_id\", \"repository_id\") ");
    await q.query("CREATE INDEX \"snapshots_tenant_created_idx\" ON \"plan\".\"snapshots\"  (\"tenant_id\", \"created_at\") ");
    await q.query("CREATE INDEX \"snapshots_tenant_plan_idx\" ON \"plan\".\"snapshots\"  (\"tenant_id\", \"plan_id\", \"created_at\") ");
    await q.query("CREATE INDEX \"snapshots_tenant_repository_idx\" ON \"plan\".\"snapshots\"  (\"tenant_id\", \"repository_id\", \"created_at\") ");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"plan\".\"snapshots_tenant_repository_idx\"");
    await q.query("DROP INDEX \"plan\".\"snapshots_tenant_plan_idx\"");
    await q.query("DROP INDEX \"plan\".\"snapshots_tenant_created_idx\"");
    await q.query("DROP INDEX \"plan\".\"snapshots_run_repository_uq\"");
    await q.query("DROP TABLE \"plan\".\"snapshots\"");
    await q.query("DROP INDEX \"plan\".\"runs_tenant_queued_idx\"");
    await q.query("DROP INDEX \"plan\".\"runs_tenant_plan_queued_idx\"");
    await q.query("DROP INDEX \"plan\".\"runs_idempotency_uq\"");
    await q.query("DROP INDEX \"plan\".\"runs_schedule_uq\"");
    await q.query("DROP TABLE \"plan\".\"runs\"");
    await q.query("DROP INDEX \"plan\".\"run_repositories_run_name_idx\"");
    await q.query("DROP TABLE \"plan\".\"run_repositories\"");
    await q.query("DROP INDEX \"plan\".\"plans_tenant_org_idx\"");
    await q.query("DROP INDEX \"plan\".\"plans_default_uq\"");
    await q.query("DROP TABLE \"plan\".\"plans\"");
  }
}
