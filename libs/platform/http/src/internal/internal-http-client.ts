import { ProblemException, isProblemDetails, type ProblemDetails } from '../problems/problem';
import { TENANT_HEADER } from './tenant.decorator';

export interface InternalRequest {
  tenantId?: string;
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** A problem answered by another service; the gateway relays 4xx ones to the client. */
export class UpstreamProblemError extends Error {
  constructor(readonly service: string, readonly problem: ProblemDetails) {
    super(`${service} answered ${problem.status}: ${problem.detail}`);
    this.name = 'UpstreamProblemError';
  }
}

/** A service could not be reached at all (connection refused, timeout). */
export class ServiceUnreachableError extends Error {
  constructor(readonly service: string, cause: unknown) {
    super(`${service} is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ServiceUnreachableError';
  }
}

/**
 * Calls another service's internal API with this service's own token. Trace context travels
 * in the request headers (undici is instrumented).
 */
export class InternalHttpClient {
  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  get<T>(path: string, request: InternalRequest = {}): Promise<T> {
    return this.send<T>('GET', path, request);
  }
  post<T>(path: string, request: InternalRequest = {}): Promise<T> {
    return this.send<T>('POST', path, request);
  }
  put<T>(path: string, request: InternalRequest = {}): Promise<T> {
    return this.send<T>('PUT', path, request);
  }
  patch<T>(path: string, request: InternalRequest = {}): Promise<T> {
    return this.send<T>('PATCH', path, request);
  }
  delete<T>(path: string, request: InternalRequest = {}): Promise<T> {
    return this.send<T>('DELETE', path, request);
  }

  /** Raw response (for streaming bodies such as bundles); throws on non-2xx like the others. */
  async stream(path: string, request: InternalRequest = {}): Promise<Response> {
    const response = await this.fetch('GET', path, request);
    if (!response.ok) throw await this.problemFrom(response);
    return response;
  }

  async send<T>(method: string, path: string, request: InternalRequest): Promise<T> {
    const response = await this.fetch(method, path, request);
    if (!response.ok) throw await this.problemFrom(response);
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async fetch(method: string, path: string, request: InternalRequest): Promise<Response> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json', ...request.headers };
    if (request.tenantId) headers[TENANT_HEADER] = request.tenantId;
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await fetch(url, {
        method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(request.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new ServiceUnreachableError(this.service, error);
    }
  }

  private async problemFrom(response: Response): Promise<UpstreamProblemError> {
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const problem: ProblemDetails = isProblemDetails(body)
      ? body
      : { type: 'about:blank', title: response.statusText || 'Error', status: response.status, detail: `${this.service} answered ${response.status}` };
    return new UpstreamProblemError(this.service, problem);
  }
}

/** Turns an upstream failure into what the caller's own client should see. */
export function relayUpstreamError(error: unknown): never {
  if (error instanceof UpstreamProblemError) {
    if (error.problem.status < 500) throw new ProblemException(error.problem.status, 'upstream', error.problem.detail, error.problem);
    throw new ProblemException(502, 'upstream-error', `${error.service} failed; try again later.`);
  }
  if (error instanceof ServiceUnreachableError) {
    throw ProblemException.unavailable('dependency-unavailable', `${error.service} is unavailable; try again later.`);
  }
  throw error;
}
