import type { IncomingMessage, ServerResponse } from 'node:http';
import type { World } from '../../core/world/world';
import { GithubAppRoutes } from './github-app-routes';
import type { GithubApps } from './github-apps';
import { GithubOAuthRoutes } from './github-oauth-routes';

/** GitHub's web flows (OAuth consent, App installation) and the app-authenticated `/app` API, ahead of the REST pipeline. */
export class GithubWebFlows {
  readonly oauth: GithubOAuthRoutes;
  private readonly appRoutes: GithubAppRoutes;

  constructor(world: World, readonly apps: GithubApps, oauth: GithubOAuthRoutes) {
    this.oauth = oauth;
    this.appRoutes = new GithubAppRoutes(world, apps);
  }

  /** True when the request was one of these and has been answered. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (await this.oauth.handle(req, res, url)) return true;
    const apiPath = url.pathname.startsWith('/api/v3/') ? url.pathname.slice('/api/v3'.length) : url.pathname;
    return this.appRoutes.handle(req, res, url, apiPath.startsWith('/app') ? apiPath : null);
  }
}
