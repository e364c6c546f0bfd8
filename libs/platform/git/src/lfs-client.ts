import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { LfsObjectRef } from './lfs-pointer';
import { assertSafeRemoteUrl } from './redaction';

export const LFS_MEDIA_TYPE = 'application/vnd.git-lfs+json';
const OID = /^[0-9a-f]{64}$/;

/**
 * The fetch the client uses for every request. The worker passes one that goes through its egress
 * proxy (which adds credentials); the client itself never sees or adds one.
 */
export type LfsFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface LfsClientOptions {
  fetch: LfsFetch;
  /** Objects per batch request (default 100, the most servers accept). */
  batchSize?: number;
  /** Transfers in flight at once (default 4). */
  concurrency?: number;
}

/** Receives a verified object's bytes; must consume the stream and reject when it errors. */
export type LfsSink = (oid: string, body: Readable, size: number) => Promise<void>;

export interface LfsDownloadRequest {
  /** The repository's git remote without credentials (`…/repo.git` or `…/repo`). */
  remoteUrl: string;
  objects: readonly LfsObjectRef[];
  /** Called for each object whose bytes are verified as they stream; the stream errors before its end if they are not. */
  sink: LfsSink;
  /** Objects the sink already holds are skipped. */
  has?: (oid: string) => Promise<boolean>;
  signal?: AbortSignal;
}

export interface LfsUploadRequest {
  remoteUrl: string;
  objects: readonly LfsObjectRef[];
  /** Opens an object's bytes (e.g. from the snapshot store); they are checked against oid and size while sent. */
  open: (oid: string, size: number) => Promise<Readable>;
  signal?: AbortSignal;
}

export type LfsFailureReason =
  | 'missing' // the server does not have the object (404 / 410)
  | 'rejected' // the batch answered an error for this object, or no action
  | 'http' // the transfer or verify request failed with a status
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'sink' // the sink or source failed
  | 'network';

export interface LfsObjectFailure extends LfsObjectRef {
  reason: LfsFailureReason;
  /** HTTP status or the batch's object error code, when there was one. */
  status?: number;
  message: string;
}

export interface LfsTransferReport {
  /** Downloaded and verified, or uploaded (and verified when the server asked for it). */
  transferred: LfsObjectRef[];
  /** Already in the sink (download) or already on the server (upload). */
  skipped: LfsObjectRef[];
  failed: LfsObjectFailure[];
  /** Bytes of the transferred objects. */
  bytes: number;
}

/** The batch endpoint itself failed (auth, not found, rate limit, server error): nothing in that batch moved. */
export class LfsBatchError extends Error {
  override readonly name = 'LfsBatchError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The bytes did not match the pointer. */
export class LfsIntegrityError extends Error {
  override readonly name = 'LfsIntegrityError';

  constructor(
    readonly reason: 'size-mismatch' | 'hash-mismatch',
    message: string,
  ) {
    super(message);
  }
}

interface LfsAction {
  href: string;
  header?: Record<string, string>;
}

interface BatchObject {
  oid: string;
  size: number;
  actions?: { download?: LfsAction; upload?: LfsAction; verify?: LfsAction };
  error?: { code?: number; message?: string };
}

/** The LFS API endpoint of a remote, as git-lfs derives it: `<remote>.git/info/lfs`. */
export function lfsEndpoint(remoteUrl: string): string {
  const url = assertSafeRemoteUrl(remoteUrl);
  const base = url.toString().replace(/\/+$/, '');
  return base.endsWith('.git') ? `${base}/info/lfs` : `${base}.git/info/lfs`;
}

/**
 * Git LFS over the batch API and the `basic` transfer adapter. Downloads are hashed and counted as
 * they stream to the sink; an object with wrong bytes never reaches the sink's stream end.
 */
export class LfsClient {
  private readonly batchSize: number;
  private readonly concurrency: number;

  constructor(private readonly options: LfsClientOptions) {
    this.batchSize = Math.min(100, Math.max(1, options.batchSize ?? 100));
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  async download(request: LfsDownloadRequest): Promise<LfsTransferReport> {
    const endpoint = lfsEndpoint(request.remoteUrl);
    const report: LfsTransferReport = { transferred: [], skipped: [], failed: [], bytes: 0 };
    const wanted: LfsObjectRef[] = [];
    const invalid = dedupe(request.objects, wanted);
    report.failed.push(...invalid);

    const missing: LfsObjectRef[] = [];
    await eachLimited(wanted, this.concurrency, async (object) => {
      if (request.has && (await request.has(object.oid))) report.skipped.push(object);
      else missing.push(object);
    });

    for (let start = 0; start < missing.length; start += this.batchSize) {
      const chunk = missing.slice(start, start + this.batchSize);
      const answers = await this.batch(endpoint, 'download', chunk, request.signal);
      await eachLimited(chunk, this.concurrency, async (object) => {
        const answer = answers.get(object.oid);
        const action = answer?.actions?.download;
        if (!answer || answer.error || !action) {
          report.failed.push(batchFailure(object, answer, 'download'));
          return;
        }
        const failure = await this.downloadOne(object, action, request);
        if (failure) report.failed.push(failure);
        else {
          report.transferred.push(object);
          report.bytes += object.size;
        }
      });
    }
    return sortReport(report);
  }

  async upload(request: LfsUploadRequest): Promise<LfsTransferReport> {
    const endpoint = lfsEndpoint(request.remoteUrl);
    const report: LfsTransferReport = { transferred: [], skipped: [], failed: [], bytes: 0 };
    const wanted: LfsObjectRef[] = [];
    report.failed.push(...dedupe(request.objects, wanted));

    for (let start = 0; start < wanted.length; start += this.batchSize) {
      const chunk = wanted.slice(start, start + this.batchSize);
      const answers = await this.batch(endpoint, 'upload', chunk, request.signal);
      await eachLimited(chunk, this.concurrency, async (object) => {
        const answer = answers.get(object.oid);
        if (!answer || answer.error) {
          report.failed.push(batchFailure(object, answer, 'upload'));
          return;
        }
        const upload = answer.actions?.upload;
        if (!upload) {
          report.skipped.push(object); // the server already has it
          return;
        }
        const failure = await this.uploadOne(object, upload, answer.actions?.verify, request);
        if (failure) report.failed.push(failure);
        else {
          report.transferred.push(object);
          report.bytes += object.size;
        }
      });
    }
    return sortReport(report);
  }

  private async batch(endpoint: string, operation: 'download' | 'upload', objects: LfsObjectRef[], signal?: AbortSignal): Promise<Map<string, BatchObject>> {
    let response: Response;
    try {
      response = await this.options.fetch(`${endpoint}/objects/batch`, {
        method: 'POST',
        headers: { accept: LFS_MEDIA_TYPE, 'content-type': LFS_MEDIA_TYPE },
        body: JSON.stringify({ operation, transfers: ['basic'], objects: objects.map(({ oid, size }) => ({ oid, size })), hash_algo: 'sha256' }),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new LfsBatchError(0, `LFS batch ${operation} request failed: ${describe(error)}`);
    }
    if (!response.ok) {
      const message = await serverMessage(response);
      throw new LfsBatchError(response.status, `LFS batch ${operation} answered ${response.status}${message ? `: ${message}` : ''}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      throw new LfsBatchError(response.status, `LFS batch ${operation} answered a body that is not JSON`);
    }
    const parsed = body as { transfer?: unknown; objects?: unknown };
    if (typeof parsed !== 'object' || parsed === null || !Array.isArray(parsed.objects)) {
      throw new LfsBatchError(response.status, `LFS batch ${operation} answer has no objects list`);
    }
    if (parsed.transfer !== undefined && parsed.transfer !== 'basic') {
      throw new LfsBatchError(response.status, `LFS batch ${operation} chose transfer ${String(parsed.transfer)}, only basic is supported`);
    }
    const answers = new Map<string, BatchObject>();
    for (const item of parsed.objects as unknown[]) {
      if (typeof item === 'object' && item !== null && typeof (item as BatchObject).oid === 'string') answers.set((item as BatchObject).oid, item as BatchObject);
    }
    return answers;
  }

  private async downloadOne(object: LfsObjectRef, action: LfsAction, request: LfsDownloadRequest): Promise<LfsObjectFailure | undefined> {
    const href = checkHref(action.href);
    if (!href) return { ...object, reason: 'rejected', message: 'download action has no valid http(s) href' };
    let response: Response;
    try {
      response = await this.options.fetch(href, { method: 'GET', headers: { ...(action.header ?? {}) }, signal: request.signal });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      return { ...object, reason: 'network', message: `download failed: ${describe(error)}` };
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      const reason = response.status === 404 || response.status === 410 ? 'missing' : 'http';
      return { ...object, reason, status: response.status, message: `download answered ${response.status}` };
    }
    const state: VerifyState = {};
    const source: AsyncIterable<Uint8Array> = response.body ?? Readable.from([]);
    const body = Readable.from(verifyStream(source, object, state), { objectMode: false });
    try {
      await request.sink(object.oid, body, object.size);
    } catch (error) {
      body.destroy();
      if (state.error) return { ...object, reason: state.error.reason, message: state.error.message };
      if (request.signal?.aborted) throw error;
      return { ...object, reason: 'sink', message: `sink failed: ${describe(error)}` };
    }
    if (state.error) return { ...object, reason: state.error.reason, message: `${state.error.message} (and the sink did not reject it)` };
    if (!state.verified) {
      body.destroy();
      return { ...object, reason: 'sink', message: 'sink resolved before reading the whole object' };
    }
    return undefined;
  }

  private async uploadOne(object: LfsObjectRef, action: LfsAction, verify: LfsAction | undefined, request: LfsUploadRequest): Promise<LfsObjectFailure | undefined> {
    const href = checkHref(action.href);
    if (!href) return { ...object, reason: 'rejected', message: 'upload action has no valid http(s) href' };
    const state: VerifyState = {};
    let source: Readable;
    try {
      source = await request.open(object.oid, object.size);
    } catch (error) {
      return { ...object, reason: 'sink', message: `could not open the object: ${describe(error)}` };
    }
    let response: Response;
    try {
      response = await this.options.fetch(href, {
        method: 'PUT',
        headers: { ...(action.header ?? {}), 'content-type': 'application/octet-stream', 'content-length': String(object.size) },
        body: Readable.toWeb(Readable.from(verifyStream(source, object, state), { objectMode: false })) as ReadableStream<Uint8Array>,
        duplex: 'half',
        signal: request.signal,
      } as RequestInit);
    } catch (error) {
      source.destroy();
      if (state.error) return { ...object, reason: state.error.reason, message: `local copy is wrong: ${state.error.message}` };
      if (request.signal?.aborted) throw error;
      return { ...object, reason: 'network', message: `upload failed: ${describe(error)}` };
    }
    await response.body?.cancel().catch(() => undefined);
    if (state.error) return { ...object, reason: state.error.reason, message: `local copy is wrong: ${state.error.message}` };
    if (!response.ok) return { ...object, reason: 'http', status: response.status, message: `upload answered ${response.status}` };
    if (!verify) return undefined;
    const verifyHref = checkHref(verify.href);
    if (!verifyHref) return { ...object, reason: 'rejected', message: 'verify action has no valid http(s) href' };
    try {
      const verified = await this.options.fetch(verifyHref, {
        method: 'POST',
        headers: { ...(verify.header ?? {}), accept: LFS_MEDIA_TYPE, 'content-type': LFS_MEDIA_TYPE },
        body: JSON.stringify({ oid: object.oid, size: object.size }),
        signal: request.signal,
      });
      await verified.body?.cancel().catch(() => undefined);
      if (!verified.ok) return { ...object, reason: 'http', status: verified.status, message: `verify answered ${verified.status}` };
    } catch (error) {
      if (request.signal?.aborted) throw error;
      return { ...object, reason: 'network', message: `verify failed: ${describe(error)}` };
    }
    return undefined;
  }
}

interface VerifyState {
  verified?: boolean;
  error?: LfsIntegrityError;
}

/** Passes the bytes through, counting and hashing them; throws (before the end) when they do not match. */
async function* verifyStream(source: AsyncIterable<Uint8Array | Buffer | string>, expected: LfsObjectRef, state: VerifyState): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  let bytes = 0;
  const fail = (error: LfsIntegrityError): never => {
    state.error = error;
    throw error;
  };
  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    bytes += chunk.length;
    if (bytes > expected.size) fail(new LfsIntegrityError('size-mismatch', `object ${expected.oid} is longer than its ${expected.size} bytes`));
    hash.update(chunk);
    yield chunk;
  }
  if (bytes !== expected.size) fail(new LfsIntegrityError('size-mismatch', `object ${expected.oid} has ${bytes} bytes, expected ${expected.size}`));
  const actual = hash.digest('hex');
  if (actual !== expected.oid) fail(new LfsIntegrityError('hash-mismatch', `object ${expected.oid} has sha256 ${actual}`));
  state.verified = true;
}

function dedupe(objects: readonly LfsObjectRef[], into: LfsObjectRef[]): LfsObjectFailure[] {
  const seen = new Set<string>();
  const invalid: LfsObjectFailure[] = [];
  for (const object of objects) {
    if (!OID.test(object.oid) || !Number.isSafeInteger(object.size) || object.size < 0) {
      invalid.push({ oid: object.oid, size: object.size, reason: 'rejected', message: 'not a sha256 oid with a size' });
      continue;
    }
    if (seen.has(object.oid)) continue;
    seen.add(object.oid);
    into.push({ oid: object.oid, size: object.size });
  }
  return invalid;
}

function batchFailure(object: LfsObjectRef, answer: BatchObject | undefined, operation: string): LfsObjectFailure {
  if (!answer) return { ...object, reason: 'rejected', message: `the batch answer left the object out` };
  if (answer.error) {
    const code = typeof answer.error.code === 'number' ? answer.error.code : undefined;
    const reason = code === 404 || code === 410 ? 'missing' : 'rejected';
    const text = typeof answer.error.message === 'string' ? answer.error.message.slice(0, 200) : 'error';
    return { ...object, reason, status: code, message: `batch ${operation}: ${text}` };
  }
  return { ...object, reason: 'rejected', message: `batch ${operation} gave no ${operation} action` };
}

function checkHref(href: unknown): string | undefined {
  if (typeof href !== 'string') return undefined;
  try {
    const url = new URL(href);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** The server's `message` (JSON) or first line of text, short; never headers or URLs we sent. */
async function serverMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message.slice(0, 200);
  } catch {
    // not JSON
  }
  return text.split('\n')[0].slice(0, 200);
}

/** Error text without URLs: an href may carry a signature. */
function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  const text = error instanceof Error ? `${error.message}${cause}` : String(error);
  return text.replace(/\bhttps?:\/\/\S+/g, '<url>');
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++];
      await work(item);
    }
  });
  await Promise.all(runners);
}

function sortReport(report: LfsTransferReport): LfsTransferReport {
  const byOid = (a: LfsObjectRef, b: LfsObjectRef): number => (a.oid < b.oid ? -1 : a.oid > b.oid ? 1 : 0);
  report.transferred.sort(byOid);
  report.skipped.sort(byOid);
  report.failed.sort(byOid);
  return report;
}
