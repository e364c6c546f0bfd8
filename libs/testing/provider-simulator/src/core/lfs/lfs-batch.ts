import { OID_PATTERN, type LfsObjectStore } from './lfs-object-store';
import type { LfsOperation } from './lfs-action-tokens';

export const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json';

export interface LfsBatchRequest {
  operation: LfsOperation;
  transfers: string[];
  objects: Array<{ oid: string; size: number }>;
}

export interface LfsAction {
  href: string;
  header: Record<string, string>;
  expires_in: number;
}

export interface LfsBatchObject {
  oid: string;
  size: number;
  authenticated?: boolean;
  actions?: Partial<Record<'download' | 'upload' | 'verify', LfsAction>>;
  error?: { code: number; message: string };
}

export interface LfsBatchResponse {
  transfer: 'basic';
  objects: LfsBatchObject[];
  hash_algo: 'sha256';
}

export class LfsBatchRequestError extends Error {}

export function parseLfsBatchRequest(input: unknown): LfsBatchRequest {
  if (typeof input !== 'object' || input === null) throw new LfsBatchRequestError('batch request must be a JSON object');
  const body = input as Record<string, unknown>;
  if (body.operation !== 'download' && body.operation !== 'upload') throw new LfsBatchRequestError('operation must be download or upload');
  if (!Array.isArray(body.objects)) throw new LfsBatchRequestError('objects must be a list');
  const objects = body.objects.map((o: unknown) => {
    const item = (typeof o === 'object' && o !== null ? o : {}) as Record<string, unknown>;
    if (typeof item.oid !== 'string' || typeof item.size !== 'number' || item.size < 0) {
      throw new LfsBatchRequestError('every object needs an oid and a size');
    }
    return { oid: item.oid, size: item.size };
  });
  const transfers = Array.isArray(body.transfers) ? body.transfers.filter((t): t is string => typeof t === 'string') : ['basic'];
  return { operation: body.operation, transfers, objects };
}

export interface LfsBatchContext {
  store: LfsObjectStore;
  repositoryId: number;
  /** Absolute URL of an object's transfer endpoint on this host. */
  objectHref(oid: string): string;
  /** Authorization header value that lets the transfer be attributed to the caller. */
  authorization(operation: LfsOperation): string;
  expiresInSeconds: number;
}

/** Answers a batch request per the git-lfs batch API: download actions for stored objects, upload actions for missing ones. */
export async function answerLfsBatch(request: LfsBatchRequest, context: LfsBatchContext): Promise<LfsBatchResponse> {
  const objects: LfsBatchObject[] = [];
  for (const { oid, size } of request.objects) {
    if (!OID_PATTERN.test(oid)) {
      objects.push({ oid, size, error: { code: 422, message: 'Invalid object id' } });
      continue;
    }
    const stored = await context.store.size(context.repositoryId, oid);
    const action = (operation: LfsOperation): LfsAction => ({
      href: context.objectHref(oid),
      header: { Authorization: context.authorization(operation) },
      expires_in: context.expiresInSeconds,
    });
    if (request.operation === 'download') {
      objects.push(
        stored === undefined
          ? { oid, size, error: { code: 404, message: 'Object does not exist' } }
          : { oid, size: stored, authenticated: true, actions: { download: action('download') } },
      );
    } else {
      // An object the server already has needs no action: the client skips the upload.
      objects.push(stored === undefined ? { oid, size, authenticated: true, actions: { upload: action('upload') } } : { oid, size: stored, authenticated: true });
    }
  }
  return { transfer: 'basic', objects, hash_algo: 'sha256' };
}
