import { databaseFields, loadConfigOrExit } from '@repovault/platform/config';
import type { ServiceDataSourceSpec } from './datasource-options';
import { serviceDataSourceOptions } from './datasource-options';
import { ensureDatabaseExists, migrateSchema } from './migrations';

/** Body of each service's `migrate.js` (the Helm hook Job and `npm run db:migrate`). */
export function runMigrationsMain(service: string, spec: (url: string) => ServiceDataSourceSpec): void {
  const { DATABASE_URL } = loadConfigOrExit(`${service} migrate`, databaseFields);
  (async () => {
    await ensureDatabaseExists(DATABASE_URL);
    const applied = await migrateSchema(serviceDataSourceOptions(spec(DATABASE_URL)));
    process.stdout.write(`${service}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}\n`);
  })().catch((error: unknown) => {
    process.stderr.write(`${service} migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
