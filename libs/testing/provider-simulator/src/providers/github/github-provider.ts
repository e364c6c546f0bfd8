import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpRouter, type RouteInfo } from '../../core/http-router';
import type { ProviderPlugin } from '../../core/provider-plugin';
import { registerAccountRoutes } from './github-account-routes';
import type { GithubContext } from './github-context';
import { GithubGitService, parseGitTarget } from './github-git-service';
import { registerRepositoryRoutes } from './github-repository-routes';
import { GithubRestApi } from './github-rest-api';
import { registerWriteRoutes } from './github-write-routes';
import type { RestRoute } from './github-rest-types';

/** GitHub Enterprise Server serves the same REST API under this prefix. */
export const ENTERPRISE_API_PREFIX = '/api/v3';

/**
 * Release asset uploads: GitHub.com takes them on its own host (uploads.github.com), Enterprise
 * Server under `/api/uploads`; the simulator serves both on its one host, under these prefixes.
 */
export const UPLOADS_PREFIXES = ['/uploads', '/api/uploads'] as const;

/** GitHub and GitHub Enterprise Server: REST at the root and under `/api/v3`, git and LFS at `/{owner}/{repo}.git`. */
export class GithubProvider implements ProviderPlugin {
  readonly id = 'github';
  private readonly rest: GithubRestApi;
  private readonly git: GithubGitService;

  constructor(private readonly gh: GithubContext) {
    this.rest = new GithubRestApi(gh);
    this.git = new GithubGitService(gh);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? `127.0.0.1:${req.socket.localPort ?? 80}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (await this.gh.webFlows?.handle(req, res, url)) return;
    const target = parseGitTarget(url.pathname);
    if (target) {
      await this.git.handle(req, res, url, target);
      return;
    }
    const enterprise = url.pathname === ENTERPRISE_API_PREFIX || url.pathname.startsWith(`${ENTERPRISE_API_PREFIX}/`);
    const uploads = UPLOADS_PREFIXES.find((prefix) => url.pathname.startsWith(`${prefix}/repos/`));
    const path = uploads ? url.pathname.slice(uploads.length) : enterprise ? url.pathname.slice(ENTERPRISE_API_PREFIX.length) || '/' : url.pathname;
    await this.rest.handle(req, res, url, path);
  }

  resetBudgets(): void {
    this.gh.limits.reset();
  }

  restRoutes(): RouteInfo[] {
    return this.rest.router.routes();
  }
}

/** The REST routes the GitHub simulator serves, without starting one (for checks against GitHub's description). */
export function githubRestRouteTable(): RouteInfo[] {
  const router = new HttpRouter<RestRoute>();
  registerAccountRoutes(router);
  registerRepositoryRoutes(router);
  registerWriteRoutes(router);
  return router.routes();
}
