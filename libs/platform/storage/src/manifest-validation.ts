import { InvalidManifestError } from './storage-errors';
import { isSha256, isStorageUuid } from './storage-ids';
import { MANIFEST_FILE_KINDS, METADATA_KINDS, type SnapshotManifest } from './snapshot-manifest';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const GIT_OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/; // SHA-1 and SHA-256 repositories
// eslint-disable-next-line no-control-regex -- control characters are exactly what we reject
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_NAME = 1024;
const MAX_PROBLEMS = 20;

const MANIFEST_KEYS = new Set<string>([
  'formatVersion', 'snapshotId', 'tenantId', 'organizationId', 'repositoryId', 'runId',
  'repositoryFullName', 'createdAt', 'refs', 'wikiRefs', 'metadata', 'lfsObjects', 'files', 'sizeBytes', 'metadataExport',
]);
const FILE_KEYS = new Set<string>(['path', 'sha256', 'bytes', 'kind']);
const FILE_KINDS = new Set<string>(MANIFEST_FILE_KINDS);
const METADATA = new Set<string>(METADATA_KINDS);

/**
 * Checks a manifest completely, collecting every problem, so a writer cannot publish one that the
 * restore or garbage collector would misread, and a corrupt file is reported rather than trusted.
 */
export function validateSnapshotManifest(value: unknown, location?: string): SnapshotManifest {
  const problems: string[] = [];
  const report = (problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem);
  };

  if (!isPlainObject(value)) throw new InvalidManifestError(['not a JSON object'], location);
  for (const key of Object.keys(value)) if (!MANIFEST_KEYS.has(key)) report(`unknown field "${key}"`);

  if (value['formatVersion'] !== 1) report(`formatVersion must be 1, got ${JSON.stringify(value['formatVersion'])}`);
  for (const field of ['snapshotId', 'tenantId', 'organizationId', 'repositoryId', 'runId'] as const) {
    if (!isStorageUuid(value[field])) report(`${field} must be a lower-case UUID`);
  }
  if (!isName(value['repositoryFullName'])) report('repositoryFullName must be a non-empty string');
  if (!isRfc3339(value['createdAt'])) report('createdAt must be an RFC 3339 timestamp');

  checkRefs(value['refs'], 'refs', report);
  if (value['wikiRefs'] !== null) checkRefs(value['wikiRefs'], 'wikiRefs', report);

  const metadata = value['metadata'];
  if (!isPlainObject(metadata)) report('metadata must be an object of record counts');
  else {
    for (const [kind, count] of Object.entries(metadata)) {
      if (!METADATA.has(kind)) report(`metadata has unknown kind "${kind}"`);
      if (!isCount(count)) report(`metadata.${kind} must be a non-negative integer`);
    }
  }
  if (!isCount(value['lfsObjects'])) report('lfsObjects must be a non-negative integer');
  if (value['metadataExport'] !== undefined) checkMetadataExport(value['metadataExport'], report);

  const files = value['files'];
  let total = 0;
  if (!Array.isArray(files)) report('files must be an array');
  else {
    const paths = new Set<string>();
    files.forEach((file: unknown, index) => {
      const at = `files[${index}]`;
      if (!isPlainObject(file)) return report(`${at} must be an object`);
      for (const key of Object.keys(file)) if (!FILE_KEYS.has(key)) report(`${at} has unknown field "${key}"`);
      const { path, sha256, bytes, kind } = file;
      if (!isRestorablePath(path)) report(`${at}.path must be a relative path without "." or ".." segments`);
      else if (paths.has(path)) report(`${at}.path "${path}" appears twice`);
      else paths.add(path);
      if (!isSha256(sha256)) report(`${at}.sha256 must be 64 lower-case hex characters`);
      if (!isCount(bytes)) report(`${at}.bytes must be a non-negative integer`);
      else total += bytes;
      if (typeof kind !== 'string' || !FILE_KINDS.has(kind)) report(`${at}.kind must be one of ${MANIFEST_FILE_KINDS.join(', ')}`);
    });
  }
  if (!isCount(value['sizeBytes'])) report('sizeBytes must be a non-negative integer');
  else if (Array.isArray(files) && value['sizeBytes'] !== total) report(`sizeBytes is ${value['sizeBytes']} but the files add up to ${total}`);

  if (problems.length > 0) throw new InvalidManifestError(problems, location);
  return value as unknown as SnapshotManifest;
}

function checkMetadataExport(value: unknown, report: (problem: string) => void): void {
  if (!isPlainObject(value)) return report('metadataExport must be an object');
  for (const key of Object.keys(value)) if (!['mode', 'asOf', 'fullAsOf'].includes(key)) report(`metadataExport has unknown field "${key}"`);
  if (value['mode'] !== 'full' && value['mode'] !== 'incremental') report('metadataExport.mode must be "full" or "incremental"');
  if (!isRfc3339(value['asOf'])) report('metadataExport.asOf must be an RFC 3339 timestamp');
  if (!isRfc3339(value['fullAsOf'])) report('metadataExport.fullAsOf must be an RFC 3339 timestamp');
}

/** Parses manifest JSON as stored on disk. */
export function parseSnapshotManifest(json: string, location?: string): SnapshotManifest {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new InvalidManifestError([`not valid JSON (${(error as Error).message})`], location);
  }
  return validateSnapshotManifest(value, location);
}

/** Restore writes files at these paths, so they must stay inside the restore directory. */
export function isRestorablePath(value: unknown): value is string {
  if (!isName(value) || value.includes('\\')) return false;
  return value.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function checkRefs(refs: unknown, field: string, report: (problem: string) => void): void {
  if (!isPlainObject(refs)) return report(`${field} must be an object of ref name to object id`);
  for (const [name, objectId] of Object.entries(refs)) {
    if (!isName(name)) report(`${field} has an invalid ref name`);
    if (typeof objectId !== 'string' || !GIT_OBJECT_ID.test(objectId)) report(`${field}["${name.slice(0, 100)}"] must be a git object id`);
  }
}

function isRfc3339(value: unknown): value is string {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME && !CONTROL.test(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
