import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { clientIp, headerValue, send, type HeaderMap } from '../../core/http-io';
import { HttpRouter } from '../../core/http-router';
import type { RateDecision } from '../../core/rate-models';
import { checkScope } from './bitbucket-cloud-access';
import { authenticate, type BitbucketCloudViewer } from './bitbucket-cloud-auth';
import type { BitbucketCloudContext, CloudResult, CloudRoute } from './bitbucket-cloud-context';
import { BitbucketQueryError, pageOf } from './bitbucket-cloud-query';
import { retryAfterSeconds, type BitbucketCloudResource } from './bitbucket-cloud-rate-limits';
import { CLOUD_API_PREFIX, registerCloudRoutes, SortError } from './bitbucket-cloud-routes';
import { errorBody } from './bitbucket-cloud-serializers';

const JSON_TYPE = 'application/json; charset=utf-8';

/** `/2.0/repositories/*` is the rate-limited `api` group; the rest of the REST API is `core`. */
export function cloudResourceOf(path: string): BitbucketCloudResource {
  return path === `${CLOUD_API_PREFIX}/repositories` || path.startsWith(`${CLOUD_API_PREFIX}/repositories/`) ? 'api' : 'core';
}

/** The headers that tell a client what its credential is, as bitbucket.org sends them. */
function credentialHeaders(viewer: BitbucketCloudViewer, acceptedScope: string | undefined): HeaderMap {
  const headers: HeaderMap = { 'x-request-id': randomUUID() };
  if (viewer.kind === 'anonymous') return headers;
  headers['x-credential-type'] = viewer.credential.type;
  headers['x-oauth-scopes'] = viewer.credential.scopes.join(', ');
  if (acceptedScope) headers['x-accepted-oauth-scopes'] = acceptedScope;
  return headers;
}

/**
 * Only access tokens learn about their budget, and never how much is left: `X-RateLimit-Limit`
 * (per hour), `X-RateLimit-Resource` and `X-RateLimit-NearLimit`.
 */
function rateHeaders(viewer: BitbucketCloudViewer, resource: BitbucketCloudResource, decision: RateDecision | null, nearLimitFraction: number): HeaderMap {
  if (viewer.kind !== 'token' || resource !== 'api' || !decision) return {};
  return {
    'x-ratelimit-limit': decision.limit,
    'x-ratelimit-resource': 'api',
    'x-ratelimit-nearlimit': String(decision.remaining < decision.limit * nearLimitFraction),
  };
}

/**
 * The REST pipeline: authenticate, attribute to an identity, add latency, charge the rolling window,
 * check scopes, run the route, and answer with Bitbucket's envelope and headers.
 */
export class BitbucketCloudRestApi {
  readonly router = new HttpRouter<CloudRoute>();

  constructor(private readonly cloud: BitbucketCloudContext) {
    registerCloudRoutes(this.router);
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { host, directory, ledger, limits, options } = this.cloud;
    const auth = authenticate(host.world, directory, headerValue(req, 'authorization'), clientIp(req), 'rest');
    if (!auth.ok) {
      ledger.authFailure('bitbucket-cloud');
      const message = auth.appPassword
        ? 'App passwords are no longer supported (disabled on 2026-07-28). Use an API token with scopes, or an access token.'
        : 'Unauthorized';
      this.json(res, 401, errorBody(message), { 'x-request-id': randomUUID() });
      return;
    }
    const viewer = auth.viewer;
    const method = req.method ?? 'GET';
    const match = this.router.match(method === 'HEAD' ? 'GET' : method, url.pathname);
    const resource = cloudResourceOf(url.pathname);
    const ticket = ledger.begin(viewer.identity, resource);
    res.on('close', () => ledger.end(ticket));
    const route = match?.route.handler;
    const base = credentialHeaders(viewer, route ? (viewer.kind === 'token' ? route.need.accessToken?.[0] : route.need.apiToken) : undefined);

    await sleep(this.cloud.latencyMs);
    const decision = limits.consume(viewer, resource);
    if (decision && !decision.allowed) {
      ledger.refused(ticket, 'rolling-hour');
      const headers = { ...base, ...rateHeaders(viewer, resource, decision, options.nearLimitFraction), 'retry-after': retryAfterSeconds(decision) };
      this.json(res, 429, errorBody('Rate limit for this resource has been exceeded'), headers);
      return;
    }
    const headers = { ...base, ...rateHeaders(viewer, resource, decision, options.nearLimitFraction) };
    if (!match || !route) {
      this.json(res, 404, errorBody('Resource not found'), headers);
      return;
    }
    const scope = checkScope(viewer, route.need);
    if (!scope.ok) {
      const body =
        scope.reason === 'scope'
          ? errorBody('Your credentials lack one or more required privilege scopes.', { granted: viewer.kind === 'anonymous' ? [] : viewer.credential.scopes, required: [scope.required] })
          : errorBody('This API is only accessible with the following authentication types: session, api_token, oauth2');
      this.json(res, 403, body, headers);
      return;
    }
    const web = url.origin;
    let result: CloudResult;
    try {
      result = await route.handler({ cloud: this.cloud, viewer, params: match.params, url, ser: { world: host.world, directory, api: `${web}${CLOUD_API_PREFIX}`, web, viewer }, req });
      if (result.kind === 'page') {
        const page = pageOf(result.items, url, result.maxPagelen);
        const values = await result.render(page.items);
        result = { kind: 'json', status: 200, body: { values, ...page.body } };
      }
    } catch (error) {
      if (!(error instanceof BitbucketQueryError || error instanceof SortError)) throw error;
      result = { kind: 'error', status: 400, message: error.message };
    }
    if (result.kind === 'redirect') {
      send(res, 302, undefined, { ...headers, location: result.location });
    } else if (result.kind === 'error') {
      this.json(res, result.status, errorBody(result.message, result.detail), headers);
    } else if (result.kind === 'json') {
      this.json(res, result.status, result.body, headers, method === 'HEAD');
    }
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: HeaderMap, headOnly = false): void {
    const buffer = Buffer.from(JSON.stringify(body));
    send(res, status, headOnly ? undefined : buffer, { ...headers, 'content-type': JSON_TYPE });
  }
}
