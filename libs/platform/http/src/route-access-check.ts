import type { INestApplication } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ROUTE_ACCESS_KEY, type RouteAccess } from './internal/route-access';

export interface DeclaredRoute {
  controller: string;
  handler: string;
  access: RouteAccess | undefined;
}

/** Every route handler with the access it declares. */
export function listRoutes(app: INestApplication): DeclaredRoute[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const out: DeclaredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as object | undefined;
    if (!instance) continue;
    const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined && Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      const access = reflector.getAllAndOverride<RouteAccess | undefined>(ROUTE_ACCESS_KEY, [handler, instance.constructor]);
      out.push({ controller: instance.constructor.name, handler: name, access });
    }
  }
  return out;
}

/** Fails start-up when a route forgot to say who may call it. */
export function assertEveryRouteDeclaresAccess(app: INestApplication): void {
  const missing = listRoutes(app).filter((r) => !r.access);
  if (missing.length > 0) {
    throw new Error(`routes without an access declaration: ${missing.map((r) => `${r.controller}.${r.handler}`).join(', ')}`);
  }
}
