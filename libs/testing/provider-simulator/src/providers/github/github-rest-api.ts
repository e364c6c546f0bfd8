import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { clientIp, headerValue, readBody, RequestBodyTooLargeError, send, type HeaderMap } from '../../core/http-io';
import { HttpRouter } from '../../core/http-router';
import type { RequestTicket } from '../../core/identity-stats';
import type { RateDecision } from '../../core/rate-models';
import { registerAccountRoutes } from './github-account-routes';
import { authenticate, type GithubViewer } from './github-auth';
import type { GithubContext } from './github-context';
import { etagFor, ifNoneMatchHits } from './github-etag';
import { pageRange } from './github-pagination';
import type { GithubResource } from './github-rate-limits';
import { registerRepositoryRoutes } from './github-repository-routes';
import { registerWriteRoutes } from './github-write-routes';
import { commonHeaders, errorBody, primaryExceededBody, rateLimitHeaders, secondaryExceededBody } from './github-responses';
import type { RestContext, RestResult, RestRoute } from './github-rest-types';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The REST API pipeline: authenticate, attribute to an identity, apply the secondary limits, add
 * latency, charge the primary budget, run the route, then ETag / 304 and the rate headers.
 */
export class GithubRestApi {
  readonly router = new HttpRouter<RestRoute>();

  constructor(private readonly gh: GithubContext) {
    registerAccountRoutes(this.router);
    registerRepositoryRoutes(this.router);
    registerWriteRoutes(this.router);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, path: string): Promise<void> {
    const { world, ledger, limits } = this.gh;
    const auth = authenticate(world, headerValue(req, 'authorization'), clientIp(req));
    if (!auth.ok) {
      ledger.authFailure('github');
      this.json(res, 401, errorBody(401, 'Bad credentials'), commonHeaders(undefined, ''));
      return;
    }
    const viewer = auth.viewer;
    const method = req.method ?? 'GET';
    const match = this.router.match(method === 'HEAD' ? 'GET' : method, path);
    const route = match?.route.handler;
    const resource: GithubResource = route?.resource ?? 'core';
    const free = route?.free === true;
    const ticket = ledger.begin(viewer.identity, resource, { exemptFromViolations: free });
    res.on('close', () => ledger.end(ticket));
    const base = commonHeaders(viewer, route?.acceptedScopes ?? '');

    if (!free) {
      const secondary = limits.checkSecondary(viewer.identity, match?.route.template ?? path, method, true, route?.creates === true);
      if (secondary.refused) {
        ledger.refused(ticket, `secondary-${secondary.reason}`);
        const id = String(base['x-github-request-id']);
        this.json(res, 403, secondaryExceededBody(id), { ...base, 'retry-after': secondary.retryAfterSeconds });
        return;
      }
    }
    await sleep(this.gh.latencyMs);

    let decision: RateDecision;
    if (free) {
      decision = limits.peekPrimary(viewer, resource);
    } else {
      decision = limits.consumePrimary(viewer, resource);
      if (!decision.allowed) {
        ledger.refused(ticket, 'primary');
        limits.announced(viewer, resource, decision);
        const status = this.gh.options.refusalStatus;
        const id = String(base['x-github-request-id']);
        this.json(res, status, primaryExceededBody(viewer, id, status), { ...base, ...rateLimitHeaders(decision, resource) });
        return;
      }
    }

    if (!match) {
      this.finish(res, viewer, resource, decision, base, 404, Buffer.from(JSON.stringify(errorBody(404, 'Not Found'))), JSON_TYPE);
      return;
    }
    let body: Buffer = Buffer.alloc(0);
    if (method !== 'GET' && method !== 'HEAD') {
      try {
        body = await readBody(req, 100 * 1024 * 1024);
      } catch (error) {
        if (!(error instanceof RequestBodyTooLargeError)) throw error;
        this.finish(res, viewer, resource, decision, base, 413, Buffer.from(JSON.stringify(errorBody(413, 'Request body too large'))), JSON_TYPE);
        return;
      }
    }
    const ctx: RestContext = {
      world,
      viewer,
      params: match.params,
      url,
      headers: req.headers,
      ser: { world, api: `${url.origin}${url.pathname.startsWith('/api/v3') || url.pathname.startsWith('/api/uploads') ? '/api/v3' : ''}`, web: url.origin },
      refs: this.gh.refs,
      limits,
      body,
      storage: { reposRoot: this.gh.reposRoot, git: this.gh.git, refs: this.gh.refs },
      nowMs: () => this.gh.clock.now(),
    };
    const result = await match.route.handler.handler(ctx);
    await this.respond(req, res, ticket, viewer, resource, decision, base, result, url, free);
  }

  private async respond(
    req: IncomingMessage,
    res: ServerResponse,
    ticket: RequestTicket,
    viewer: GithubViewer,
    resource: GithubResource,
    charged: RateDecision,
    base: HeaderMap,
    result: RestResult,
    url: URL,
    free: boolean,
  ): Promise<void> {
    let decision = charged;
    if (result.kind === 'empty') {
      this.finish(res, viewer, resource, decision, { ...base, ...(result.headers ?? {}) }, result.status, undefined, undefined);
      return;
    }
    if (result.kind === 'bytes') {
      const headers = { ...base, 'content-disposition': `attachment; filename=${result.fileName}` };
      this.finish(res, viewer, resource, decision, headers, 200, result.body, result.contentType);
      return;
    }
    let status: number;
    let payload: unknown;
    const headers: HeaderMap = { ...base };
    let link: string | undefined;
    if (result.kind === 'list') {
      const range = pageRange(result.total, url);
      payload = await result.render(range.start, range.end);
      link = range.link;
      status = 200;
      if (link) headers.link = link;
    } else {
      status = result.status;
      payload = result.body;
      Object.assign(headers, result.headers ?? {});
    }
    const body = Buffer.from(JSON.stringify(payload));
    if (status === 200 && (req.method === 'GET' || req.method === 'HEAD')) {
      const etag = etagFor(viewer.identity, body, link);
      headers.etag = etag;
      headers['cache-control'] = viewer.kind === 'user' ? 'private, max-age=60, s-maxage=60' : 'public, max-age=60, s-maxage=60';
      headers.vary = 'Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With';
      if (ifNoneMatchHits(headerValue(req, 'if-none-match'), etag)) {
        this.gh.ledger.notModified(ticket);
        // Only a conditional request that carries credentials is free (GitHub's documented rule).
        if (viewer.kind === 'user' && !free) decision = this.gh.limits.refundPrimary(viewer, resource);
        delete headers.link;
        this.finish(res, viewer, resource, decision, headers, 304, undefined, undefined);
        return;
      }
    }
    this.finish(res, viewer, resource, decision, headers, status, req.method === 'HEAD' ? undefined : body, JSON_TYPE);
  }

  private finish(
    res: ServerResponse,
    viewer: GithubViewer,
    resource: GithubResource,
    decision: RateDecision,
    headers: HeaderMap,
    status: number,
    body: Buffer | undefined,
    contentType: string | undefined,
  ): void {
    this.gh.limits.announced(viewer, resource, decision);
    const all: HeaderMap = { ...headers, ...rateLimitHeaders(decision, resource) };
    if (contentType) all['content-type'] = contentType;
    send(res, status, body, all);
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: HeaderMap): void {
    send(res, status, Buffer.from(JSON.stringify(body)), { ...headers, 'content-type': JSON_TYPE });
  }
}

