export * from './ports';
export * from './local-services';
export * from './throwaway-postgres';
export * from './throwaway-redis';
export * from './workspace';
export * from './local-stack';
export * from './test-database';
