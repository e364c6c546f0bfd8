import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { clientIp, send, sendText, type HeaderMap } from '../../core/http-io';
import { HttpRouter } from '../../core/http-router';
import type { RequestTicket } from '../../core/identity-stats';
import { acceptedScopes, hasAnyScope, type GitlabViewer } from './gitlab-access';
import { authenticateApi } from './gitlab-auth';
import type { GitlabContext } from './gitlab-context';
import { gitlabIpIdentity } from './gitlab-model';
import { offsetPage } from './gitlab-pagination';
import { rateLimitHeaders, refusalHeaders } from './gitlab-rate-limits';
import { registerGitlabRoutes } from './gitlab-routes';
import type { GitlabResult, GitlabRoute, GitlabRouteContext } from './gitlab-rest-types';

const JSON_TYPE = 'application/json';
const INSUFFICIENT_SCOPE = 'The request requires higher privileges than provided by the access token.';
const ENDPOINT_THROTTLED = { message: { error: 'This endpoint has been requested too many times. Try again later.' } };

/**
 * The REST pipeline: authenticate, count the request for the user and for its IP address, apply
 * the throttles (429 `Retry later` with `RateLimit-*`, `Retry-After`), add latency, check the
 * token's scopes, apply the endpoint's own limit (429 without headers), run the route.
 */
export class GitlabRestApi {
  readonly router = new HttpRouter<GitlabRoute>();

  constructor(private readonly ctx: GitlabContext) {
    registerGitlabRoutes(this.router);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { gl, ledger, limits, clock } = this.ctx;
    const ip = clientIp(req);
    const auth = authenticateApi(gl, req, url, ip, clock.now());
    if (!auth.ok) {
      ledger.authFailure('gitlab');
      this.json(res, 401, auth.body, auth.headers);
      return;
    }
    const viewer = auth.viewer;
    const tickets = this.begin(viewer, ip);
    res.on('close', () => tickets.forEach((t) => ledger.end(t)));

    const verdict = limits.consumeApi(viewer, ip);
    limits.announce(viewer.identity, ip, 'api', verdict);
    if (!verdict.allowed) {
      for (const ticket of tickets) ledger.refused(ticket, verdict.name);
      sendText(res, 429, 'Retry later\n', refusalHeaders(verdict));
      return;
    }
    const rate = rateLimitHeaders(verdict);
    await sleep(this.ctx.latencyMs);

    const method = req.method ?? 'GET';
    const match = this.router.match(method === 'HEAD' ? 'GET' : method, url.pathname);
    if (!match) {
      this.json(res, 404, { error: '404 Not Found' }, rate);
      return;
    }
    const route = match.route.handler;
    if (viewer.kind === 'anonymous' && route.requiresUser) {
      this.json(res, 401, { message: '401 Unauthorized' }, rate);
      return;
    }
    const scopes = acceptedScopes(route.scopes);
    if (viewer.kind === 'user' && scopes !== null && !hasAnyScope(viewer.token, scopes)) {
      const scope = scopes.join(' ');
      this.json(res, 403, { error: 'insufficient_scope', error_description: INSUFFICIENT_SCOPE, scope }, {
        ...rate,
        'www-authenticate': `Bearer realm="Protected by OAuth 2", error="insufficient_scope", error_description="${INSUFFICIENT_SCOPE}", scope="${scope}"`,
      });
      return;
    }
    if (route.budget) {
      const endpoint = limits.consumeEndpoint(route.budget, viewer.identity);
      if (!endpoint.allowed) {
        // The application limit answers on its own: no RateLimit headers, no Retry-After.
        ledger.refused(tickets[0], `endpoint-${route.budget}`);
        this.json(res, 429, ENDPOINT_THROTTLED, {});
        return;
      }
    }

    const context: GitlabRouteContext = {
      gl,
      access: this.ctx.access,
      viewer,
      params: match.params,
      url,
      ser: { gl, web: url.origin, api: `${url.origin}/api/v4` },
      refs: this.ctx.refs,
      clock,
      req,
      provider: this.ctx,
    };
    await this.respond(res, method, await route.handler(context), url, rate);
  }

  /** API calls count for the identity and, since the IP's limit covers everyone, for the address too. */
  private begin(viewer: GitlabViewer, ip: string): RequestTicket[] {
    const { ledger } = this.ctx;
    return [ledger.begin(viewer.identity, 'api'), ledger.begin(gitlabIpIdentity(ip), 'api')];
  }

  private async respond(res: ServerResponse, method: string, result: GitlabResult, url: URL, rate: HeaderMap): Promise<void> {
    const head = method === 'HEAD';
    if (result.kind === 'bytes') {
      const headers = { ...rate, 'content-type': result.contentType, 'content-disposition': `attachment; filename="${result.fileName}"` };
      send(res, 200, head ? undefined : result.body, headers);
      return;
    }
    if (result.kind === 'json') {
      this.json(res, result.status, result.body, { ...rate, ...(result.headers ?? {}) }, head);
      return;
    }
    if (result.kind === 'page') {
      this.json(res, 200, result.body, { ...rate, ...result.headers }, head);
      return;
    }
    const range = offsetPage(result.total, url);
    const body = await result.render(range.start, range.end);
    this.json(res, 200, body, { ...rate, ...range.headers }, head);
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: HeaderMap, head = false): void {
    send(res, status, head ? undefined : Buffer.from(JSON.stringify(body)), { ...headers, 'content-type': JSON_TYPE });
  }
}
