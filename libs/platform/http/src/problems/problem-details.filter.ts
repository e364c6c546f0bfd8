import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { secretScrubber } from '@repovault/platform/logging';
import type { Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails, ProblemException, isProblemDetails, problemType, titleFor } from './problem';

/** Every error leaves as application/problem+json; unexpected ones as a 500 that reveals nothing. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(exception);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, path: request.path, method: request.method }, 'request failed');
    }
    if (response.headersSent) return;
    response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof ProblemException) return exception.problem;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      if (isProblemDetails(body)) return body;
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : titleFor(status);
      return { type: status === 404 ? problemType('not-found') : 'about:blank', title: titleFor(status), status, detail: secretScrubber.scrub(detail) };
    }
    if (isBodyParserError(exception)) {
      return { type: problemType('malformed-body'), title: titleFor(exception.status), status: exception.status, detail: bodyParserDetail(exception) };
    }
    return { type: 'about:blank', title: titleFor(500), status: 500, detail: 'An unexpected error occurred; it has been logged.' };
  }
}

interface BodyParserError { status: number; type: string; expose?: boolean }

function isBodyParserError(e: unknown): e is BodyParserError {
  const v = e as Partial<BodyParserError> | null;
  return !!v && typeof v.status === 'number' && v.status >= 400 && v.status < 500 && typeof v.type === 'string';
}

function bodyParserDetail(e: BodyParserError): string {
  switch (e.type) {
    case 'entity.parse.failed': return 'The request body is not valid JSON.';
    case 'entity.too.large': return 'The request body is too large.';
    case 'encoding.unsupported': return 'The request body encoding is not supported.';
    default: return 'The request body could not be read.';
  }
}
