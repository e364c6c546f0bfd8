import { InvalidStorageIdError } from './storage-errors';

// Lower case only: on a case-insensitive volume two spellings of one id would alias one file.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export function isStorageUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function isSha256(value: unknown): value is string {
  return typeof value === 'string' && SHA256.test(value);
}

/** Guards every id that becomes part of a path, so no caller input can point outside the root. */
export function assertStorageUuid(field: string, value: unknown): asserts value is string {
  if (!isStorageUuid(value)) throw new InvalidStorageIdError(field, value, 'a lower-case UUID');
}

export function assertSha256(value: unknown): asserts value is string {
  if (!isSha256(value)) throw new InvalidStorageIdError('sha256', value, '64 lower-case hex characters');
}
