import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemType(slug: string): string {
  return `urn:problem-type:repovault:${slug}`;
}

const TITLES: Record<number, string> = {
  400: 'Bad request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed',
  409: 'Conflict', 413: 'Payload too large', 415: 'Unsupported media type', 422: 'Unprocessable content',
  429: 'Too many requests', 500: 'Internal server error', 502: 'Bad gateway', 503: 'Service unavailable', 504: 'Gateway timeout',
};

export function titleFor(status: number): string {
  return TITLES[status] ?? 'Error';
}

/** Throw this to answer with a specific problem. */
export class ProblemException extends HttpException {
  readonly problem: ProblemDetails;

  constructor(status: number, slug: string, detail: string, extensions: Partial<ProblemDetails> = {}) {
    const problem: ProblemDetails = { type: problemType(slug), title: titleFor(status), status, detail, ...extensions };
    super(problem, status);
    this.problem = problem;
  }

  static badRequest(detail: string, errors?: FieldError[]) {
    return new ProblemException(400, errors ? 'validation-error' : 'bad-request', detail, errors ? { title: 'Validation failed', errors } : {});
  }
  static unprocessable(slug: string, detail: string, extensions: Partial<ProblemDetails> = {}) {
    return new ProblemException(422, slug, detail, extensions);
  }
  static notFound(what: string) {
    return new ProblemException(404, 'not-found', `${what} was not found`);
  }
  static conflict(slug: string, detail: string) {
    return new ProblemException(409, slug, detail);
  }
  static unauthorized(detail: string) {
    return new ProblemException(401, 'unauthorized', detail);
  }
  static forbidden(detail: string) {
    return new ProblemException(403, 'forbidden', detail);
  }
  static unavailable(slug: string, detail: string) {
    return new ProblemException(503, slug, detail);
  }
}

export function isProblemDetails(value: unknown): value is ProblemDetails {
  const v = value as Partial<ProblemDetails> | null;
  return !!v && typeof v === 'object' && typeof v.status === 'number' && typeof v.title === 'string' && typeof v.type === 'string';
}
