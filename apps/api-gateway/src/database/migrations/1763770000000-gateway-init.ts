import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GatewayInit1763770000000 implements MigrationInterface {
  name = 'GatewayInit1763770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS "gateway"`);
    await q.query(`CREATE TABLE "gateway"."tenants" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "name" character varying(100) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      CONSTRAINT "PK_tenants" PRIMARY KEY ("id"))`);
    await q.query(`CREATE TABLE "gateway"."api_keys" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(),
      "tenant_id" uuid NOT NULL,
      "name" character varying(100) NOT NULL,
      "role" character varying(32) NOT NULL,
      "key_hash" character(64) NOT NULL,
      "key_prefix" character varying(16) NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
      "last_used_at" TIMESTAMP WITH TIME ZONE,
      CONSTRAINT "PK_api_keys" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "api_keys_tenant_idx" ON "gateway"."api_keys" ("tenant_id")`);
    await q.query(`CREATE UNIQUE INDEX "api_keys_hash_uq" ON "gateway"."api_keys" ("key_hash")`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "gateway"."api_keys"`);
    await q.query(`DROP TABLE "gateway"."tenants"`);
  }
}
