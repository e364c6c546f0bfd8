import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServiceName } from '@repovault/contracts/jobs';
import type { Request } from 'express';
import { timingSafeEqual, createHash } from 'node:crypto';
import { ProblemException } from '../problems/problem';
import { ROUTE_ACCESS_KEY, type RouteAccess } from './route-access';

export interface InternalCaller {
  service: ServiceName;
  /** worker tokens may be bound to a pool */
  pool?: string;
}

export type RequestWithCaller = Request & { internalCaller?: InternalCaller };

export const PEER_TOKENS = Symbol('PEER_TOKENS');

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Resolves a bearer token to the service (and pool) it belongs to. */
export class PeerTokenDirectory {
  private readonly entries: { caller: InternalCaller; digest: Buffer }[];

  constructor(tokens: ReadonlyMap<string, string>) {
    this.entries = [...tokens].map(([key, token]) => {
      const [service, pool] = key.split(':') as [ServiceName, string | undefined];
      return { caller: pool ? { service, pool } : { service }, digest: digest(token) };
    });
  }

  identify(token: string): InternalCaller | undefined {
    const d = digest(token);
    let found: InternalCaller | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, d)) found = entry.caller; // no early exit: constant time over entries
    }
    return found;
  }
}

/** Guards internal services: health/metrics are public, everything else needs a peer's token. */
@Injectable()
export class InternalAuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly directory: PeerTokenDirectory) {}

  canActivate(context: ExecutionContext): boolean {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS_KEY, [context.getHandler(), context.getClass()]);
    if (access?.kind === 'public') return true;
    if (access?.kind !== 'internal') throw ProblemException.forbidden('This route is not available.');
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const header = request.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw ProblemException.unauthorized('A service token is required.');
    const caller = this.directory.identify(token);
    if (!caller) throw ProblemException.unauthorized('Unknown service token.');
    if (!access.callers.includes(caller.service)) {
      throw ProblemException.forbidden(`${caller.service} may not call this route.`);
    }
    request.internalCaller = caller;
    return true;
  }
}
