export * from './snapshot-manifest';
export * from './snapshot-store';
export * from './storage-errors';
export { isSha256, isStorageUuid } from './storage-ids';
export { parseSnapshotManifest, validateSnapshotManifest, isRestorablePath } from './manifest-validation';
export { snapshotsToPrune } from './retention';
export { createVerifyingStream } from './verifying-stream';
export { createLocalSnapshotStore } from './local/local-snapshot-store';
export { DEFAULT_GC_GRACE_MS, type LocalGarbageCollectionResult } from './local/local-garbage-collector';
