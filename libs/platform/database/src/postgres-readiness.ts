import type { DataSource } from 'typeorm';

/** Readiness check: a trivial query through the service's pool (recovers when the pool reconnects). */
export function postgresReadinessCheck(dataSource: DataSource) {
  return {
    name: 'postgresql',
    async check(): Promise<void> {
      if (!dataSource.isInitialized) throw new Error('not connected');
      await dataSource.query('SELECT 1');
    },
  };
}
