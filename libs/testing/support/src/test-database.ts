import { type ServiceDataSourceSpec, ensureDatabaseExists, migrateSchema, pendingSchemaChanges, serviceDataSourceOptions } from '@repovault/platform/database';
import { LOCAL_POSTGRES, TEST_DATABASE_URL, queryDatabase } from './local-services';

const prepared = new Map<string, Promise<void>>();

/** Creates the shared test database if needed and applies a service's migrations (once per process). */
export function prepareTestDatabase(spec: (url: string) => ServiceDataSourceSpec, url = TEST_DATABASE_URL): Promise<void> {
  const key = `${url}#${spec(url).schema}`;
  let done = prepared.get(key);
  if (!done) {
    done = (async () => {
      await ensureDatabaseExists(url);
      await migrateSchema(serviceDataSourceOptions(spec(url)));
    })();
    prepared.set(key, done);
  }
  return done;
}

/**
 * Migrates a fresh, throw-away database with a service's migrations and returns the SQL TypeORM
 * would still need to match the entities: empty when entities and migrations agree.
 */
export async function schemaDriftOf(spec: (url: string) => ServiceDataSourceSpec): Promise<string[]> {
  const name = `repovault_drift_${spec('x').schema}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = `${LOCAL_POSTGRES}/${name}`;
  await ensureDatabaseExists(url);
  try {
    await migrateSchema(serviceDataSourceOptions(spec(url)));
    return await pendingSchemaChanges(serviceDataSourceOptions(spec(url)));
  } finally {
    await queryDatabase(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`, [], `${LOCAL_POSTGRES}/postgres`);
  }
}
