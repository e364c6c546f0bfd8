import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ProblemException } from '../problems/problem';
import type { InternalCaller, RequestWithCaller } from './internal-auth.guard';

export const TENANT_HEADER = 'x-repovault-tenant-id';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant an internal call acts for (set by the gateway or the calling service). */
export const TenantId = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  const value = context.switchToHttp().getRequest<Request>().headers[TENANT_HEADER];
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw ProblemException.badRequest(`The ${TENANT_HEADER} header must hold the tenant's id.`);
  }
  return value;
});

export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): InternalCaller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().internalCaller;
  if (!caller) throw ProblemException.unauthorized('A service token is required.');
  return caller;
});
