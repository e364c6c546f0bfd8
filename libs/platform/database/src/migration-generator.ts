import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions, type ServiceDataSourceSpec } from './datasource-options';
import { ensureDatabaseExists, migrateSchema } from './migrations';

/**
 * Writes a migration with the SQL that brings a freshly migrated scratch database to what the
 * entities describe (the drift the schema test would report). Entry of each service's
 * `generate-migration.js <Name>`.
 */
export async function generateMigration(options: {
  spec: (url: string) => ServiceDataSourceSpec;
  scratchDatabaseUrl: string;
  name: string;
  outputDir: string;
}): Promise<string | null> {
  const spec = options.spec(options.scratchDatabaseUrl);
  await ensureDatabaseExists(options.scratchDatabaseUrl);
  await migrateSchema(serviceDataSourceOptions(spec));
  const dataSource = new DataSource({ ...serviceDataSourceOptions(spec), logging: false });
  await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    if (sql.upQueries.length === 0) return null;
    const timestamp = Date.now();
    const className = `${options.name.replace(/[^A-Za-z0-9]/g, '')}${timestamp}`;
    const render = (queries: { query: string; parameters?: unknown[] }[]) =>
      queries.map((q) => `    await q.query(${JSON.stringify(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');
    const file = join(options.outputDir, `${timestamp}-${options.name.replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}.ts`);
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(q: QueryRunner): Promise<void> {
${render(sql.upQueries)}
  }

  async down(q: QueryRunner): Promise<void> {
${render([...sql.downQueries].reverse())}
  }
}
`,
    );
    return file;
  } finally {
    await dataSource.destroy();
    await dropDatabase(options.scratchDatabaseUrl);
  }
}

async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
