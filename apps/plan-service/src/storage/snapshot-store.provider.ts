import type { Provider } from '@nestjs/common';
import { type SnapshotStore, createLocalSnapshotStore } from '@repovault/platform/storage';
import { PLAN_SERVICE_CONFIG, type PlanServiceConfig } from '../config/plan-service.config';

/** The snapshot store plan-service reads from (bundles, metadata) and prunes (retention, garbage collection). */
export const SNAPSHOT_STORE = Symbol('SNAPSHOT_STORE');

export const snapshotStoreProvider: Provider = {
  provide: SNAPSHOT_STORE,
  useFactory: (config: PlanServiceConfig): SnapshotStore => createLocalSnapshotStore(config.STORAGE_DIR),
  inject: [PLAN_SERVICE_CONFIG],
};
