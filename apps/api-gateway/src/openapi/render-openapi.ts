import type { OpenAPIObject } from '@nestjs/swagger';

/** Stable JSON (sorted paths and schemas) so the committed document diffs cleanly. */
export function renderOpenApiJson(document: OpenAPIObject): string {
  const sorted = {
    ...document,
    paths: sortKeys(document.paths),
    components: document.components ? { ...document.components, schemas: sortKeys(document.components.schemas ?? {}) } : undefined,
  };
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

function sortKeys<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))) as T;
}
