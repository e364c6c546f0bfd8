import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ROUTE_ACCESS_KEY, type RouteAccess } from '@repovault/platform/http';

export const ROLES = ['admin', 'backup-operator', 'restore-operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Role sets used across routes: say who may call, nothing more. */
export const Readers: readonly Role[] = ['admin', 'backup-operator', 'restore-operator', 'viewer'];
export const BackupOperators: readonly Role[] = ['admin', 'backup-operator'];
export const RestoreOperators: readonly Role[] = ['admin', 'restore-operator'];
export const Admins: readonly Role[] = ['admin'];

/** A public route answered to an API key holding one of these roles. */
export const AllowRoles = (roles: readonly Role[]) =>
  applyDecorators(
    SetMetadata(ROUTE_ACCESS_KEY, { kind: 'roles', roles } satisfies RouteAccess),
    // generated SDKs and readers of the document see who may call each operation
    ApiExtension('x-required-roles', [...roles]),
  );

/** Authenticated by the operator's X-Admin-Token, not by an API key. */
export const OperatorOnly = () =>
  applyDecorators(SetMetadata(ROUTE_ACCESS_KEY, { kind: 'operator' } satisfies RouteAccess), ApiExtension('x-required-roles', ['operator']));

/** Browser redirect targets, authenticated by their single-use state. */
export const StateAuthenticated = () => SetMetadata(ROUTE_ACCESS_KEY, { kind: 'state' } satisfies RouteAccess);

export interface ApiPrincipal {
  tenantId: string;
  keyId: string;
  role: Role;
}
