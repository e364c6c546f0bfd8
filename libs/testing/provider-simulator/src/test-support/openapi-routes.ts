import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RouteInfo } from '../core/http-router';
import { sharedSpecsDir } from './repo-root';

/** What a route check reads of an OpenAPI document: its operations per path template. */
export interface OpenApiPaths {
  paths: Record<string, Record<string, unknown>>;
}

/** Loads `<repo>/../shared/specs/<file>`, or prints a loud SKIPPED banner (naming what stays unverified) and returns undefined. */
export function loadSharedSpec(file: string, unverified: string): OpenApiPaths | undefined {
  const path = join(sharedSpecsDir(), file);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as OpenApiPaths;
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nSKIPPED: ${path} is missing.\n${unverified} is UNVERIFIED against the official description.\n${bar}\n`);
  return undefined;
}

/** Served routes whose method and template (after removing the description's server prefix) the description lacks. */
export function routesMissingFrom(spec: OpenApiPaths, routes: RouteInfo[], serverPrefix: string): string[] {
  return routes
    .filter((r) => {
      const template = r.template.startsWith(serverPrefix) ? r.template.slice(serverPrefix.length) : r.template;
      const operations = spec.paths[template];
      return !operations || !(r.method.toLowerCase() in operations);
    })
    .map((r) => `${r.method} ${r.template}`);
}
