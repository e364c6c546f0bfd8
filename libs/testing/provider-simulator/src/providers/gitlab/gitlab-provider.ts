import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../../core/http-io';
import { HttpRouter, type RouteInfo } from '../../core/http-router';
import type { ProviderPlugin } from '../../core/provider-plugin';
import type { GitlabContext } from './gitlab-context';
import { GitlabGitService, parseGitlabGitTarget } from './gitlab-git-service';
import { GitlabRestApi } from './gitlab-rest-api';
import { GITLAB_API_PREFIX, type GitlabRoute } from './gitlab-rest-types';
import { registerGitlabRoutes } from './gitlab-routes';

/**
 * GitLab (gitlab.com or a self-managed instance at the listener's root): REST under `/api/v4`,
 * `/oauth/token/info`, git and LFS at `/{group}/{subgroup…}/{project}.git` and `….wiki.git`.
 */
export class GitlabProvider implements ProviderPlugin {
  readonly id = 'gitlab';
  private readonly rest: GitlabRestApi;
  private readonly git: GitlabGitService;

  constructor(private readonly ctx: GitlabContext) {
    this.rest = new GitlabRestApi(ctx);
    this.git = new GitlabGitService(ctx);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? `127.0.0.1:${req.socket.localPort ?? 80}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (await this.ctx.webFlows?.handle(req, res, url)) return;
    const api = url.pathname === GITLAB_API_PREFIX || url.pathname.startsWith(`${GITLAB_API_PREFIX}/`) || url.pathname === '/oauth/token/info';
    if (api) {
      await this.rest.handle(req, res, url);
      return;
    }
    const target = parseGitlabGitTarget(url.pathname);
    if (target) {
      await this.git.handle(req, res, url, target);
      return;
    }
    sendJson(res, 404, { message: '404 Not Found' });
  }

  resetBudgets(): void {
    this.ctx.limits.reset();
  }

  restRoutes(): RouteInfo[] {
    return this.rest.router.routes();
  }
}

/** The REST routes the GitLab simulator serves, without starting one (for the contract check). */
export function gitlabRestRouteTable(): RouteInfo[] {
  const router = new HttpRouter<GitlabRoute>();
  registerGitlabRoutes(router);
  return router.routes();
}
