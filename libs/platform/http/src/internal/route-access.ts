import { SetMetadata } from '@nestjs/common';
import type { ServiceName } from '@repovault/contracts/jobs';

export const ROUTE_ACCESS_KEY = 'repovault:route-access';

/**
 * How a route is authenticated. Every route must declare one: routes without a declaration are
 * refused at start-up (see assertEveryRouteDeclaresAccess), so nothing is reachable by accident.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'internal'; callers: readonly ServiceName[] }
  | { kind: 'roles'; roles: readonly string[] }
  | { kind: 'operator' }
  | { kind: 'state' };

/** Health and metrics: no authentication. */
export const PublicRoute = () => SetMetadata(ROUTE_ACCESS_KEY, { kind: 'public' } satisfies RouteAccess);

/** Internal API: only these services, by their own service token. */
export const InternalRoute = (...callers: ServiceName[]) =>
  SetMetadata(ROUTE_ACCESS_KEY, { kind: 'internal', callers } satisfies RouteAccess);
