import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface ServiceDataSourceSpec {
  /** the service's own PostgreSQL schema: gateway, org, credential, plan or worker */
  schema: string;
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

/** One explicit datasource per service schema; the schema is never synchronized, only migrated. */
export function serviceDataSourceOptions(spec: ServiceDataSourceSpec): DataSourceOptions {
  return {
    type: 'postgres',
    url: spec.url,
    schema: spec.schema,
    entities: spec.entities,
    migrations: spec.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    applicationName: spec.applicationName ?? `repovault-${spec.schema}`,
    logging: ['error', 'warn', 'migration'],
    extra: {
      max: spec.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      // a statement stuck on a dead connection must not hang a request forever
      statement_timeout: 60_000,
      keepAlive: true,
    },
  };
}
