import type { World } from '../../../core/world/world';

/** Where links in bodies point: `api` includes `/api/v3` when the request used it, `web` is the host. */
export interface SerializerContext {
  world: World;
  api: string;
  web: string;
}

export type Json = Record<string, unknown>;
