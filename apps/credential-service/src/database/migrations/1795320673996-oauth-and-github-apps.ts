import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OAuthAndGitHubApps1795320673996 implements MigrationInterface {
  name = 'OAuthAndGitHubApps1795320673996';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"credential\".\"github_app_installs\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"app_slot\" smallint NOT NULL, \"organization_id\" uuid, \"state_hash\" character varying(64) NOT NULL, \"state_used_at\" TIMESTAMP WITH TIME ZONE, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"status\" character varying(16) NOT NULL, \"installation_id\" bigint, \"account_id\" bigint, \"account_login\" character varying(200), \"account_type\" character varying(32), \"refusal_condition\" smallint, \"refusal_code\" character varying(64), \"refusal_detail\" text, \"completed_at\" TIMESTAMP WITH TIME ZONE, \"credential_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_0c2ff7e010c04df65c2c688762f\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"github_app_installs_installation_idx\" ON \"credential\".\"github_app_installs\"  (\"installation_id\") ");
    await q.query("CREATE INDEX \"github_app_installs_tenant_idx\" ON \"credential\".\"github_app_installs\"  (\"tenant_id\", \"created_at\") ");
    await q.query("CREATE TABLE \"credential\".\"oauth_apps\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"tenant_id\" uuid NOT NULL, \"provider\" character varying(32) NOT NULL, \"base_url\" text, \"api_base_url\" text NOT NULL, \"client_id\" character varying(300) NOT NULL, \"client_secret_id\" uuid NOT NULL, \"auto_add_new_repositories\" boolean NOT NULL, \"include_groups\" boolean NOT NULL, \"sync\" jsonb, \"default_worker_pool\" character varying(40), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"removed_at\" TIMESTAMP WITH TIME ZONE, CONSTRAINT \"PK_8871ea4a8e0f9f551e53908e0f1\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"oauth_apps_tenant_idx\" ON \"credential\".\"oauth_apps\"  (\"tenant_id\", \"created_at\") ");
    await q.query("CREATE TABLE \"credential\".\"oauth_authorizations\" (\"id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"provider\" character varying(32) NOT NULL, \"base_url\" text, \"api_base_url\" text NOT NULL, \"oauth_app_id\" uuid, \"redirect_uri\" text NOT NULL, \"state_hash\" character varying(64) NOT NULL, \"state_used_at\" TIMESTAMP WITH TIME ZONE, \"expires_at\" TIMESTAMP WITH TIME ZONE NOT NULL, \"status\" character varying(16) NOT NULL, \"failure_reason\" text, \"account_login\" character varying(200), \"identity_key\" character varying(300), \"key_id\" character varying(32), \"wrapped_key\" bytea, \"ciphertext\" bytea, \"completed_at\" TIMESTAMP WITH TIME ZONE, \"credential_id\" uuid, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_0b25c4c6ffe0302852a061f47a6\" PRIMARY KEY (\"id\"))");
    await q.query("CREATE INDEX \"oauth_authorizations_tenant_idx\" ON \"credential\".\"oauth_authorizations\"  (\"tenant_id\", \"created_at\") ");
    await q.query("CREATE TABLE \"credential\".\"oauth_tokens\" (\"credential_id\" uuid NOT NULL, \"tenant_id\" uuid NOT NULL, \"provider\" character varying(32) NOT NULL, \"api_base_url\" text NOT NULL, \"oauth_app_id\" uuid, \"key_id\" character varying(32) NOT NULL, \"wrapped_key\" bytea NOT NULL, \"ciphertext\" bytea NOT NULL, \"expires_at\" TIMESTAMP WITH TIME ZONE, \"renew_at\" TIMESTAMP WITH TIME ZONE, \"refresh_count\" integer NOT NULL DEFAULT '0', \"refreshed_at\" TIMESTAMP WITH TIME ZONE, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_7487f4694fb16e25624cd59d632\" PRIMARY KEY (\"credential_id\"))");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE \"credential\".\"oauth_tokens\"");
    await q.query("DROP INDEX \"credential\".\"oauth_authorizations_tenant_idx\"");
    await q.query("DROP TABLE \"credential\".\"oauth_authorizations\"");
    await q.query("DROP INDEX \"credential\".\"oauth_apps_tenant_idx\"");
    await q.query("DROP TABLE \"credential\".\"oauth_apps\"");
    await q.query("DROP INDEX \"credential\".\"github_app_installs_tenant_idx\"");
    await q.query("DROP INDEX \"credential\".\"github_app_installs_installation_idx\"");
    await q.query("DROP TABLE \"credential\".\"github_app_installs\"");
  }
}
