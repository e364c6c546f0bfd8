import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RepositoryHasIssues1795320063368 implements MigrationInterface {
  name = 'RepositoryHasIssues1795320063368';

  async up(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE \"org\".\"repositories\" ADD \"has_issues\" boolean");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE \"org\".\"repositories\" DROP COLUMN \"has_issues\"");
  }
}
