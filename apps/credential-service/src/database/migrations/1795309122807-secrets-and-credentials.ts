import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SecretsAndCredentials1795309122807 implements MigrationInterface {
  name = 'SecretsAndCredentials1795309122807';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"credential\".\"credentials\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"organization_id\" uuid NOT NULL, \"role\" character varying(16) NOT NULL, \"method\" character varying(16) NOT NULL, \"username\" character varying(200), \"email\" character varying(320), \"secret_id\" uuid, \"provider\" character varying(32) NOT NULL, \"api_base_url\" text NOT NULL, \"organization_name\" character varying(200) NOT NULL, \"identity_key\" character varying(300), \"identity_login\" character varying(200), \"token_kind\" character varying(40), \"scopes\" text array, \"status\" character varying(16) NOT NULL, \"status_reason\" text, \"rate_limit\" jsonb, \"capabilities\" jsonb NOT NULL, \"last_used_at\" TIMESTAMP WITH TIME ZONE, \"removed_at\" TIMESTAMP WITH TIME ZONE, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_1e38bc43be6697cdda548ad27a6\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"credentials_identity_idx\" ON \"credential\".\"credentials\"  (\"identity_key\") ");
    await q.query("CREATE INDEX \"credentials_org_idx\" ON \"credential\".\"credentials\"  (\"tenant_id\", \"organization_id\") ");
    await q.query("CREATE TABLE \"credential\".\"secrets\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"name\" character varying(200) NOT NULL, \"description\" text, \"hint\" character varying(8) NOT NULL, \"key_id\" character varying(32) NOT NULL, \"wrapped_key\" bytea NOT NULL, \"ciphertext\" bytea NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_d4ff48ddba1883d4dc142b9c697\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE UNIQUE INDEX \"secrets_tenant_name_uq\" ON \"credential\".\"secrets\"  (\"tenant_id\", \"name\") ");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP INDEX \"credential\".\"secrets_tenant_name_uq\"");
    await q.query("DROP TABLE \"credential\".\"secrets\"");
    await q.query("DROP INDEX \"credential\".\"credentials_org_idx\"");
    await q.query("DROP INDEX \"credential\".\"credentials_identity_idx\"");
    await q.query("DROP TABLE \"credential\".\"credentials\"");
  }
}
