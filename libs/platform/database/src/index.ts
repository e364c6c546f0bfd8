export * from './datasource-options';
export * from './migrations';
export * from './postgres-readiness';
export * from './database.module';
export * from './migrate-main';
export * from './migration-generator';
