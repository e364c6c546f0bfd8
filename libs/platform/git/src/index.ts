export { GitRunner, locateGit, type GitProcess, type GitResult, type GitRunOptions, type GitRunnerOptions, type GitSpawnRecord } from './git-runner';
export {
  GitAbortedError,
  GitCommandError,
  GitTimeoutError,
  RemoteAccessDeniedError,
  RemoteNotFoundError,
  UnsafeRemoteError,
} from './git-errors';
export { InvalidMirrorKeyError, MirrorCache, type MirrorCacheOptions, type MirrorSource, type WithMirrorOptions } from './mirror-cache';
export type { BundleResult, Mirror, MirrorPreparation } from './mirror';
export { LockLostError, LockTimeoutError, RedisLock, type HeldLock, type RedisLockOptions } from './redis-lock';
export { LFS_POINTER_MAX_BYTES, parseLfsPointer, type LfsObjectRef } from './lfs-pointer';
export {
  LFS_MEDIA_TYPE,
  LfsBatchError,
  LfsClient,
  LfsIntegrityError,
  lfsEndpoint,
  type LfsClientOptions,
  type LfsDownloadRequest,
  type LfsFailureReason,
  type LfsFetch,
  type LfsObjectFailure,
  type LfsSink,
  type LfsTransferReport,
  type LfsUploadRequest,
} from './lfs-client';
export { assertSafeRemoteUrl, scrubText, type TextScrubber } from './redaction';
