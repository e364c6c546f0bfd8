import { type CanActivate, type ExecutionContext, Inject, Injectable, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException, ROUTE_ACCESS_KEY, type RouteAccess } from '@repovault/platform/http';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import type { ApiPrincipal, Role } from './roles';

type AuthenticatedRequest = Request & { principal?: ApiPrincipal };

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/**
 * Every public route declares who may call it; this guard enforces it: API keys with roles,
 * the operator token, or (for browser redirects) nothing but the handler's single-use state.
 */
@Injectable()
export class GatewayAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeysService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS_KEY, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    switch (access?.kind) {
      case 'public':
      case 'state':
        return true;
      case 'operator': {
        const token = request.headers['x-admin-token'];
        if (typeof token !== 'string' || !sameSecret(token, this.config.REPOVAULT_ADMIN_TOKEN)) {
          throw ProblemException.unauthorized('This call needs the operator token in the X-Admin-Token header.');
        }
        return true;
      }
      case 'roles': {
        const key = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
        if (!key) throw ProblemException.unauthorized('Send an API key as "Authorization: Bearer <key>".');
        const principal = await this.apiKeys.authenticate(key);
        if (!principal) throw ProblemException.unauthorized('The API key is not valid (it may have been deleted).');
        if (!access.roles.includes(principal.role)) {
          throw ProblemException.forbidden(`The ${principal.role} role may not do this; it needs one of: ${access.roles.join(', ')}.`);
        }
        request.principal = principal;
        return true;
      }
      default:
        throw ProblemException.forbidden('This route is not available.');
    }
  }
}

/** The authenticated API key's tenant and role. */
export const Principal = createParamDecorator((_: unknown, context: ExecutionContext): ApiPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw ProblemException.unauthorized('An API key is required.');
  return principal;
});

export function hasRole(principal: ApiPrincipal, roles: readonly Role[]): boolean {
  return roles.includes(principal.role);
}
