import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationsAndRepositories1795309250567 implements MigrationInterface {
  name = 'OrganizationsAndRepositories1795309250567';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"org\".\"organizations\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"provider\" character varying(32) NOT NULL, \"base_url\" text, \"api_base_url\" text NOT NULL, \"name\" character varying(200) NOT NULL, \"status\" character varying(16) NOT NULL, \"auth_method\" character varying(16) NOT NULL, \"auth_username\" character varying(200), \"auth_email\" character varying(320), \"main_credential_id\" uuid, \"auto_add_new_repositories\" boolean NOT NULL, \"include_groups\" boolean NOT NULL, \"sync\" jsonb NOT NULL, \"default_worker_pool\" character varying(40) NOT NULL, \"default_plan_id\" uuid, \"last_synced_at\" TIMESTAMP WITH TIME ZONE, \"sync_error\" text, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"deleted_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_6b031fcd0863e3f6b44230163f9\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"organizations_tenant_idx\" ON \"org\".\"organizations\"  (\"tenant_id\", \"created_at\") ");
    await q.query("CREATE TABLE \"org\".\"repositories\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"organization_id\" uuid NOT NULL, \"provider_id\" character varying(100) NOT NULL, \"full_name\" character varying(500) NOT NULL, \"name\" character varying(300) NOT NULL, \"default_branch\" character varying(300), \"private\" boolean NOT NULL, \"archived\" boolean NOT NULL, \"status\" character varying(16) NOT NULL, \"size_kb\" bigint NOT NULL, \"last_pushed_at\" TIMESTAMP WITH TIME ZONE, \"has_wiki\" boolean NOT NULL, \"clone_url\" text NOT NULL, \"discovered_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"deleted_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_ef0c358c04b4f4d29b8ca68ddff\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"repositories_tenant_org_idx\" ON \"org\".\"repositories\"  (\"tenant_id\", \"organization_id\", \"full_name\") ");
    await q.query("CREATE UNIQUE INDEX \"repositories_org_provider_uq\" ON \"org\".\"repositories\"  (\"organization_id\", \"provider_id\") ");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"org\".\"repositories_org_provider_uq\"");
    await q.query("DROP INDEX \"org\".\"repositories_tenant_org_idx\"");
    await q.query("DROP TABLE \"org\".\"repositories\"");
    await q.query("DROP INDEX \"org\".\"organizations_tenant_idx\"");
    await q.query("DROP TABLE \"org\".\"organizations\"");
  }
}
