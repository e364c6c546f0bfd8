import type { MigrationInterface, QueryRunner } from 'typeorm';

export class GitHubAppInstallApps1795322130559 implements MigrationInterface {
  name = 'GitHubAppInstallApps1795322130559';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE \"credential\".\"github_app_installs\" ADD \"app_id\" integer");
    await q.query("ALTER TABLE \"credential\".\"github_app_installs\" ADD \"api_base_url\" text");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE \"credential\".\"github_app_installs\" DROP COLUMN \"api_base_url\"");
    await q.query("ALTER TABLE \"credential\".\"github_app_installs\" DROP COLUMN \"app_id\"");
  }
}
