import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteInfo } from './http-router';

/**
 * The seam every simulated provider plugs into. Each provider gets its own listener (GitHub serves
 * its API at the root, GitLab under /api/v4, and their git paths would collide on one port); the
 * core adds the `/__sim/*` hooks in front of every one of them.
 */
export interface ProviderPlugin {
  /** Short name used in identity keys and stats: `github`, later `gitlab`, `bitbucket-cloud`, `bitbucket-dc`. */
  readonly id: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Forgets budgets and wait windows; the shared ledger's counters are reset by the core. */
  resetBudgets(): void;
  /** REST routes served, to be checked against the provider's published API description. */
  restRoutes(): RouteInfo[];
}
