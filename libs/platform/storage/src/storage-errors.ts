/**
 * Errors of the snapshot store. Each has a stable `code` so callers (and other services, after
 * serialisation) can branch on the kind of failure without matching messages.
 */
export abstract class StorageError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The bytes of a stored object no longer hash to its name: corruption or tampering. */
export class ChecksumMismatchError extends StorageError {
  readonly code = 'STORAGE_CHECKSUM_MISMATCH';

  constructor(
    readonly expectedSha256: string,
    readonly actualSha256: string,
  ) {
    super(`stored object ${expectedSha256} is corrupt: its content hashes to ${actualSha256}`);
  }
}

export class ObjectNotFoundError extends StorageError {
  readonly code = 'STORAGE_OBJECT_NOT_FOUND';

  constructor(readonly sha256: string) {
    super(`stored object ${sha256} does not exist`);
  }
}

/** Snapshots are immutable: a manifest is published once and never replaced. */
export class ManifestExistsError extends StorageError {
  readonly code = 'STORAGE_MANIFEST_EXISTS';

  constructor(
    readonly repositoryId: string,
    readonly snapshotId: string,
  ) {
    super(`snapshot ${snapshotId} of repository ${repositoryId} already exists and cannot be replaced`);
  }
}

export class ManifestNotFoundError extends StorageError {
  readonly code = 'STORAGE_MANIFEST_NOT_FOUND';

  constructor(
    readonly repositoryId: string,
    readonly snapshotId: string,
  ) {
    super(`snapshot ${snapshotId} of repository ${repositoryId} does not exist`);
  }
}

/** A manifest (being published, or read back from storage) breaks the format. */
export class InvalidManifestError extends StorageError {
  readonly code = 'STORAGE_INVALID_MANIFEST';

  constructor(
    readonly problems: readonly string[],
    readonly location?: string,
  ) {
    super(`invalid snapshot manifest${location ? ` ${location}` : ''}: ${problems.join('; ')}`);
  }
}

/** A manifest names files the store does not hold (or holds with another size). */
export class MissingObjectsError extends StorageError {
  readonly code = 'STORAGE_MISSING_OBJECTS';

  constructor(readonly problems: readonly string[]) {
    super(`manifest references files the store does not hold: ${problems.join('; ')}`);
  }
}

/** An id that would end up in a path is not of the expected shape (and might escape the root). */
export class InvalidStorageIdError extends StorageError {
  readonly code = 'STORAGE_INVALID_ID';

  constructor(
    readonly field: string,
    value: unknown,
    expected: string,
  ) {
    super(`${field} must be ${expected}, got ${describe(value)}`);
  }
}

/** The storage directory cannot give the guarantees the store relies on (e.g. no hard links). */
export class UnsupportedStorageError extends StorageError {
  readonly code = 'STORAGE_UNSUPPORTED';
}

function describe(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  // bounded and escaped: the value may be hostile
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
