import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConditionalRequests1795313157282 implements MigrationInterface {
  name = 'ConditionalRequests1795313157282';

  async up(q: QueryRunner): Promise<void> {
    await q.query("CREATE TABLE \"worker\".\"conditional_requests\" (\"identity_key\" character varying(300) NOT NULL, \"url_hash\" character(64) NOT NULL, \"url\" text NOT NULL, \"etag\" character varying(300) NOT NULL, \"body_sha256\" character(64) NOT NULL, \"status\" smallint NOT NULL, \"headers\" jsonb NOT NULL, \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT \"PK_eec6978259bab7e2a1d536a557f\" PRIMARY KEY (\"identity_key\", \"url_hash\"))");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("DROP TABLE \"worker\".\"conditional_requests\"");
  }
}
