import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { headerValue, send, type HeaderMap } from '../../core/http-io';
import { HttpRouter } from '../../core/http-router';
import { authenticate, whoHeaders } from './bitbucket-dc-auth';
import { DC_API_PREFIX, dcPage, registerDcRoutes, type BitbucketDcContext, type DcResult, type DcRoute } from './bitbucket-dc-routes';
import { errors } from './bitbucket-dc-serializers';

const JSON_TYPE = 'application/json;charset=UTF-8';
const LEGACY_PREFIX = '/rest/api/1.0';

/** `/rest/api/1.0/…` and `/rest/api/latest/…` are the same API. */
export function canonicalDcPath(path: string): string {
  return path === LEGACY_PREFIX || path.startsWith(`${LEGACY_PREFIX}/`) ? `${DC_API_PREFIX}${path.slice(LEGACY_PREFIX.length)}` : path;
}

/**
 * The REST pipeline: authenticate (HTTP access tokens), attribute to an identity, take a token from
 * its bucket, add latency, run the route, answer with `X-AUSERNAME`/`X-AUSERID` and the bucket headers.
 */
export class BitbucketDcRestApi {
  readonly router = new HttpRouter<DcRoute>();

  constructor(private readonly dc: BitbucketDcContext) {
    registerDcRoutes(this.router);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { directory, ledger, limits, host } = this.dc;
    const requestId = { 'x-arequestid': `@${randomBytes(4).toString('hex').toUpperCase()}x${Date.now() % 100000}x0` };
    const auth = authenticate(directory, headerValue(req, 'authorization'));
    if (!auth.ok) {
      ledger.authFailure('bitbucket-dc');
      const body = auth.anonymous
        ? errors('Authentication required: this instance serves nothing anonymously.', 'com.atlassian.bitbucket.AuthorisationException')
        : errors('Authentication failed. Please check your credentials and try again.', 'com.atlassian.bitbucket.auth.IncorrectPasswordAuthenticationException');
      this.json(res, 401, body, requestId);
      return;
    }
    const viewer = auth.viewer;
    const ticket = ledger.begin(viewer.identity, 'core');
    res.on('close', () => ledger.end(ticket));
    const decision = limits.consume(viewer.identity);
    const headers: HeaderMap = { ...requestId, ...whoHeaders(viewer), ...limits.headers(decision) };
    if (!decision.allowed) {
      ledger.refused(ticket, 'token-bucket');
      this.json(res, 429, errors('You have been rate limited. Please wait and try again later.', 'com.atlassian.bitbucket.ratelimit.RateLimitedException'), headers);
      return;
    }
    await sleep(this.dc.latencyMs);
    const method = req.method ?? 'GET';
    const path = canonicalDcPath(url.pathname);
    const match = this.router.match(method === 'HEAD' ? 'GET' : method, path);
    if (!match) {
      this.json(res, 404, errors(`No resource at ${url.pathname}`), headers);
      return;
    }
    let result: DcResult = await match.route.handler({ dc: this.dc, viewer, params: match.params, url, ser: { world: host.world, directory, base: url.origin, viewer }, req });
    if (result.kind === 'page') {
      const page = dcPage(result.items, url);
      result = { kind: 'json', status: 200, body: { ...page.body, values: await result.render(page.items) } };
    }
    if (result.kind === 'error') this.json(res, result.status, errors(result.message, result.exceptionName ?? null), headers);
    else this.json(res, result.status, result.body, headers, method === 'HEAD');
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: HeaderMap, headOnly = false): void {
    send(res, status, headOnly ? undefined : Buffer.from(JSON.stringify(body)), { ...headers, 'content-type': JSON_TYPE });
  }
}
