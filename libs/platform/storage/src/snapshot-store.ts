import type { SnapshotManifest, SnapshotSummary } from './snapshot-manifest';

export interface StoredFile {
  sha256: string;
  bytes: number;
}

export interface GarbageCollectionOptions {
  /**
   * Objects and temp files younger than this are kept even when unreferenced: a worker may be
   * between writing a snapshot's files and publishing its manifest. Must exceed the longest run.
   */
  graceMs?: number;
}

export interface GarbageCollectionResult {
  scannedObjects: number;
  deletedObjects: number;
  freedBytes: number;
}

/**
 * Content-addressed, immutable snapshot storage. Files are stored once under their sha256 and
 * manifests point at them; only retention (deleteManifest + collectGarbage) ever removes anything.
 * Implemented by a local directory today; an S3-compatible backend implements the same contract.
 */
export interface SnapshotStore {
  /** streams into a temp file while hashing, then publishes under its sha256 (atomic rename); an existing object is kept, not rewritten */
  putStream(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>): Promise<StoredFile>;
  putFile(path: string): Promise<StoredFile>;
  putBuffer(data: Buffer | string): Promise<StoredFile>;
  has(sha256: string): Promise<boolean>;
  /** a readable that verifies the sha256 while streaming and errors at the end (ChecksumMismatchError) if the bytes differ */
  openVerified(sha256: string): Promise<NodeJS.ReadableStream>;
  readVerified(sha256: string): Promise<Buffer>;
  /** atomic publish of the manifest (temp + fsync + rename); refuses (ManifestExistsError) to overwrite an existing one: snapshots are immutable; verifies every referenced file exists first */
  publishManifest(manifest: SnapshotManifest): Promise<void>;
  /** ManifestNotFoundError when absent, InvalidManifestError when the stored JSON is corrupt */
  readManifest(repositoryId: string, snapshotId: string): Promise<SnapshotManifest>;
  /** newest first */
  listManifests(repositoryId: string): Promise<SnapshotSummary[]>;
  /** idempotent: deleting a snapshot that is already gone succeeds, so retention can simply re-run */
  deleteManifest(repositoryId: string, snapshotId: string): Promise<void>;
  /** deletes objects no manifest references, skipping objects younger than graceMs (a worker may be between writing files and publishing its manifest) and any temp files younger than graceMs; returns counts and bytes freed */
  collectGarbage(options?: GarbageCollectionOptions): Promise<GarbageCollectionResult>;
}
