import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { gitServiceOf, serveGitHttpBackend } from '../../core/git/git-http-backend';
import { clientIp, headerValue, readJson, send, sendJson, sendText, type HeaderMap } from '../../core/http-io';
import type { LfsOperation } from '../../core/lfs/lfs-action-tokens';
import { answerLfsBatch, LFS_MEDIA_TYPE, LfsBatchRequestError, parseLfsBatchRequest } from '../../core/lfs/lfs-batch';
import { LfsObjectMismatchError, OID_PATTERN } from '../../core/lfs/lfs-object-store';
import type { SimRepository } from '../../core/world/world-model';
import { authenticate, whoHeaders, type BitbucketDcViewer } from './bitbucket-dc-auth';
import { READ, WRITE } from './bitbucket-dc-directory';
import type { BitbucketDcContext } from './bitbucket-dc-routes';

export interface DcGitTarget {
  projectKey: string;
  slug: string;
  /** What follows `.git/`, e.g. `info/refs`. */
  rest: string;
}

const GIT_PATH = /^\/scm\/([^/]+)\/([^/]+?)\.git\/(.+)$/;

export function parseDcGitTarget(path: string): DcGitTarget | undefined {
  const match = GIT_PATH.exec(path);
  return match ? { projectKey: decodeURIComponent(match[1]), slug: decodeURIComponent(match[2]), rest: match[3] } : undefined;
}

const CHALLENGE = { 'www-authenticate': 'Basic realm="Atlassian Bitbucket"' };

/**
 * Git smart HTTP and LFS at `/scm/{key}/{slug}.git`. Every HTTP request git makes (ref
 * advertisement, pack negotiation, LFS batch and transfers) takes a token from the same bucket as
 * the REST API. Project and repository tokens must come as `Authorization: Bearer` (git's
 * `http.extraHeader`); a Basic attempt with them fails, as on Data Center.
 */
export class BitbucketDcGitService {
  constructor(private readonly dc: BitbucketDcContext) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, target: DcGitTarget): Promise<void> {
    const { host, directory, ledger } = this.dc;
    const method = req.method ?? 'GET';
    const repo = host.world.repository(target.projectKey, target.slug);
    const transfer = /^info\/lfs\/objects\/([0-9a-f]{64})$/.exec(target.rest);
    if (transfer) {
      await this.lfsTransfer(req, res, repo, transfer[1], method);
      return;
    }
    const isBatch = target.rest === 'info/lfs/objects/batch' && method === 'POST';
    const service = gitServiceOf(target.rest, method, url.searchParams);
    if (!isBatch && !service) {
      sendText(res, 404, 'Not Found\n');
      return;
    }
    const fail = (status: number, message: string, headers: HeaderMap = {}): void => {
      if (isBatch) sendJson(res, status, { message }, headers, LFS_MEDIA_TYPE);
      else sendText(res, status, `${message}\n`, headers);
    };
    const auth = authenticate(directory, headerValue(req, 'authorization'));
    if (!auth.ok) {
      if (!auth.anonymous) ledger.authFailure('bitbucket-dc');
      fail(401, auth.anonymous ? 'Authentication required' : 'Authentication failed', CHALLENGE);
      return;
    }
    const viewer = auth.viewer;
    const resource = isBatch ? 'lfs' : 'git';
    const ticket = ledger.begin(viewer.identity, resource);
    res.on('close', () => ledger.end(ticket));
    const headers: HeaderMap = { ...whoHeaders(viewer) };
    const decision = this.dc.limits.consume(viewer.identity);
    Object.assign(headers, this.dc.limits.headers(decision));
    if (!decision.allowed) {
      ledger.refused(ticket, 'token-bucket');
      fail(429, 'You have been rate limited. Please wait and try again later.', headers);
      return;
    }
    const level = repo ? directory.repositoryLevel(viewer.credential, repo) : 0;
    if (!repo || level < READ) {
      fail(404, `Repository ${target.projectKey}/${target.slug} does not exist.`, headers);
      return;
    }
    const writing = service === 'git-receive-pack';
    if (writing && level < WRITE) {
      fail(403, `You are not permitted to push to ${repo.owner.login}/${repo.name}.`, headers);
      return;
    }
    await sleep(this.dc.latencyMs);
    if (isBatch) {
      await this.lfsBatch(req, res, url, viewer, repo, headers);
      return;
    }
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const status = await serveGitHttpBackend(host.git, {
      req,
      res,
      projectRoot: host.reposRoot,
      pathInfo: `/${repo.owner.login}/${repo.name}.git/${target.rest}`,
      query: url.search.replace(/^\?/, ''),
      remoteUser: viewer.kind === 'user' ? viewer.user.login : viewer.serviceUser.name,
      remoteAddr: clientIp(req),
    });
    if (writing && method === 'POST' && status === 200) host.mutations.touchPushed(repo);
  }

  private async lfsBatch(req: IncomingMessage, res: ServerResponse, url: URL, viewer: BitbucketDcViewer, repo: SimRepository, headers: HeaderMap): Promise<void> {
    const { host, directory, clock, options, lfsTokens } = this.dc;
    let request;
    try {
      request = parseLfsBatchRequest(await readJson(req));
    } catch (error) {
      sendJson(res, 422, { message: error instanceof LfsBatchRequestError ? error.message : 'Invalid JSON body' }, headers, LFS_MEDIA_TYPE);
      return;
    }
    if (request.operation === 'upload' && directory.repositoryLevel(viewer.credential, repo) < WRITE) {
      sendJson(res, 403, { message: `You are not permitted to push to ${repo.owner.login}/${repo.name}.` }, headers, LFS_MEDIA_TYPE);
      return;
    }
    const now = clock.now();
    const ttlMs = clock.durationMs(options.lfsActionExpiresSeconds);
    const body = await answerLfsBatch(request, {
      store: host.lfs,
      repositoryId: repo.id,
      objectHref: (oid) => `${url.origin}/scm/${repo.owner.login.toLowerCase()}/${repo.name.toLowerCase()}.git/info/lfs/objects/${oid}`,
      authorization: (operation: LfsOperation) => `RemoteAuth ${lfsTokens.mint(viewer.identity, repo.id, operation, now, ttlMs)}`,
      expiresInSeconds: Math.max(1, Math.floor(ttlMs / 1000)),
    });
    sendJson(res, 200, body, headers, LFS_MEDIA_TYPE);
  }

  /** Object transfers: attributed to the identity that asked for them, and drawing from its bucket. */
  private async lfsTransfer(req: IncomingMessage, res: ServerResponse, repo: SimRepository | undefined, oid: string, method: string): Promise<void> {
    const { host, ledger, clock, lfsTokens, limits } = this.dc;
    const operation: LfsOperation | undefined = method === 'GET' ? 'download' : method === 'PUT' ? 'upload' : undefined;
    const header = headerValue(req, 'authorization') ?? '';
    const token = header.startsWith('RemoteAuth ') ? header.slice('RemoteAuth '.length).trim() : '';
    const identity = repo && operation ? lfsTokens.verify(token, repo.id, operation, clock.now()) : undefined;
    if (!repo || !operation || !identity || !OID_PATTERN.test(oid)) {
      ledger.authFailure('bitbucket-dc');
      sendJson(res, 401, { message: 'Credentials needed' }, {}, LFS_MEDIA_TYPE);
      return;
    }
    const ticket = ledger.begin(identity, 'lfs');
    res.on('close', () => ledger.end(ticket));
    const decision = limits.consume(identity);
    const headers = limits.headers(decision);
    if (!decision.allowed) {
      ledger.refused(ticket, 'token-bucket');
      sendJson(res, 429, { message: 'You have been rate limited. Please wait and try again later.' }, headers, LFS_MEDIA_TYPE);
      return;
    }
    await sleep(this.dc.latencyMs);
    if (operation === 'download') {
      const size = await host.lfs.size(repo.id, oid);
      if (size === undefined) {
        sendJson(res, 404, { message: 'Object does not exist' }, headers, LFS_MEDIA_TYPE);
        return;
      }
      res.writeHead(200, { ...headers, 'content-type': 'application/octet-stream', 'content-length': size });
      host.lfs.read(repo.id, oid).on('error', () => res.destroy()).pipe(res);
      return;
    }
    const announced = headerValue(req, 'content-length');
    try {
      await host.lfs.putVerified(repo.id, oid, announced === undefined ? undefined : Number(announced), req);
      if (!repo.lfsOids.includes(oid)) {
        repo.lfsOids.push(oid);
        repo.lfsOids.sort();
      }
      send(res, 200, undefined, headers);
    } catch (error) {
      if (!(error instanceof LfsObjectMismatchError)) throw error;
      sendJson(res, 422, { message: error.message }, headers, LFS_MEDIA_TYPE);
    }
  }
}
