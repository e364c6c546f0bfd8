import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { gitServiceOf, serveGitHttpBackend } from '../../core/git/git-http-backend';
import { clientIp, headerValue, readJson, send, sendJson, sendText, type HeaderMap } from '../../core/http-io';
import type { LfsOperation } from '../../core/lfs/lfs-action-tokens';
import { answerLfsBatch, LFS_MEDIA_TYPE, LfsBatchRequestError, parseLfsBatchRequest } from '../../core/lfs/lfs-batch';
import { LfsObjectMismatchError, OID_PATTERN } from '../../core/lfs/lfs-object-store';
import type { SimRepository } from '../../core/world/world-model';
import { checkScope, NEEDS, repositoryPermission } from './bitbucket-cloud-access';
import { authenticate, type BitbucketCloudViewer } from './bitbucket-cloud-auth';
import type { BitbucketCloudContext } from './bitbucket-cloud-context';
import { retryAfterSeconds } from './bitbucket-cloud-rate-limits';

export interface CloudGitTarget {
  workspace: string;
  repo: string;
  wiki: boolean;
  /** What follows `.git/` (or `.git/wiki/`), e.g. `info/refs`. */
  rest: string;
}

// bitbucket.org serves a repository at /{workspace}/{slug}.git and its wiki at /{workspace}/{slug}.git/wiki.
const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git\/(wiki\/)?(.+)$/;

export function parseCloudGitTarget(path: string): CloudGitTarget | undefined {
  const match = GIT_PATH.exec(path);
  if (!match) return undefined;
  return { workspace: decodeURIComponent(match[1]), repo: decodeURIComponent(match[2]), wiki: match[3] !== undefined, rest: match[4] };
}

const CHALLENGE = { 'www-authenticate': 'Basic realm="Bitbucket.org HTTP"' };

/**
 * Git smart HTTP and LFS on bitbucket.org: Basic auth with `x-bitbucket-api-token-auth` (or the
 * Bitbucket username) and an API token, or `x-token-auth` and an access token; app passwords answer
 * 401. Every request counts under `git`/`lfs` and draws from the identity's 60,000/h git window.
 */
export class BitbucketCloudGitService {
  constructor(private readonly cloud: BitbucketCloudContext) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, target: CloudGitTarget): Promise<void> {
    const { host, directory, ledger, limits } = this.cloud;
    const method = req.method ?? 'GET';
    const repo = host.world.repository(target.workspace, target.repo);
    const transfer = /^info\/lfs\/objects\/([0-9a-f]{64})$/.exec(target.rest);
    if (transfer && !target.wiki) {
      await this.lfsTransfer(req, res, repo, transfer[1], method);
      return;
    }
    const isBatch = target.rest === 'info/lfs/objects/batch' && method === 'POST' && !target.wiki;
    const service = gitServiceOf(target.rest, method, url.searchParams);
    if (!isBatch && !service) {
      sendText(res, 404, 'Not Found\n');
      return;
    }
    const fail = (status: number, message: string, headers: HeaderMap = {}): void => {
      if (isBatch) sendJson(res, status, { message }, headers, LFS_MEDIA_TYPE);
      else sendText(res, status, `${message}\n`, headers);
    };

    const auth = authenticate(host.world, directory, headerValue(req, 'authorization'), clientIp(req), 'git');
    if (!auth.ok) {
      ledger.authFailure('bitbucket-cloud');
      fail(401, auth.appPassword ? 'App passwords are no longer supported; use an API token or an access token.' : 'Invalid credentials', CHALLENGE);
      return;
    }
    const viewer = auth.viewer;
    const gitDir = repo ? (target.wiki ? repo.wikiGitDir : repo.gitDir) : null;
    const permission = repo ? repositoryPermission(host.world, directory, viewer, repo) : 'none';
    if (!repo || !gitDir || permission === 'none') {
      if (viewer.kind === 'anonymous') fail(401, 'Authentication required', CHALLENGE);
      else fail(404, 'Repository not found');
      return;
    }
    const writing = service === 'git-receive-pack';
    const scope = checkScope(viewer, writing ? NEEDS.repositoryWrite : NEEDS.repository);
    if (!scope.ok || (writing && permission !== 'write')) {
      if (viewer.kind === 'anonymous') fail(401, 'Authentication required', CHALLENGE);
      else fail(403, `Access denied: your credential cannot ${writing ? 'push to' : 'read'} ${repo.owner.login}/${repo.name}`);
      return;
    }

    const resource = isBatch ? 'lfs' : 'git';
    const ticket = ledger.begin(viewer.identity, resource);
    res.on('close', () => ledger.end(ticket));
    const decision = limits.consume(viewer, resource);
    if (decision && !decision.allowed) {
      ledger.refused(ticket, 'rolling-hour');
      fail(429, 'Rate limit for this resource has been exceeded', { 'retry-after': retryAfterSeconds(decision) });
      return;
    }
    await sleep(this.cloud.latencyMs);

    if (isBatch) {
      await this.lfsBatch(req, res, url, viewer, repo);
      return;
    }
    const suffix = target.wiki ? '.wiki.git' : '.git';
    const status = await serveGitHttpBackend(host.git, {
      req,
      res,
      projectRoot: host.reposRoot,
      pathInfo: `/${repo.owner.login}/${repo.name}${suffix}/${target.rest}`,
      query: url.search.replace(/^\?/, ''),
      remoteUser: viewer.kind === 'user' ? viewer.user.login : viewer.kind === 'token' ? viewer.credential.name : undefined,
      remoteAddr: clientIp(req),
    });
    if (writing && method === 'POST' && status === 200 && !target.wiki) host.mutations.touchPushed(repo);
  }

  private async lfsBatch(req: IncomingMessage, res: ServerResponse, url: URL, viewer: BitbucketCloudViewer, repo: SimRepository): Promise<void> {
    const { host, directory, clock, options, lfsTokens } = this.cloud;
    let request;
    try {
      request = parseLfsBatchRequest(await readJson(req));
    } catch (error) {
      sendJson(res, 422, { message: error instanceof LfsBatchRequestError ? error.message : 'Invalid JSON body' }, {}, LFS_MEDIA_TYPE);
      return;
    }
    if (request.operation === 'upload' && (repositoryPermission(host.world, directory, viewer, repo) !== 'write' || !checkScope(viewer, NEEDS.repositoryWrite).ok)) {
      sendJson(res, 403, { message: `Access denied: your credential cannot push to ${repo.owner.login}/${repo.name}` }, {}, LFS_MEDIA_TYPE);
      return;
    }
    const now = clock.now();
    const ttlMs = clock.durationMs(options.lfsActionExpiresSeconds);
    const body = await answerLfsBatch(request, {
      store: host.lfs,
      repositoryId: repo.id,
      objectHref: (oid) => `${url.origin}/${encodeURIComponent(repo.owner.login)}/${encodeURIComponent(repo.name)}.git/info/lfs/objects/${oid}`,
      authorization: (operation: LfsOperation) => `RemoteAuth ${lfsTokens.mint(viewer.identity, repo.id, operation, now, ttlMs)}`,
      expiresInSeconds: Math.max(1, Math.floor(ttlMs / 1000)),
    });
    sendJson(res, 200, body, {}, LFS_MEDIA_TYPE);
  }

  /** Object transfers, authorised by the short-lived header a batch answer handed out; counted, not charged. */
  private async lfsTransfer(req: IncomingMessage, res: ServerResponse, repo: SimRepository | undefined, oid: string, method: string): Promise<void> {
    const { host, ledger, clock, lfsTokens } = this.cloud;
    const operation: LfsOperation | undefined = method === 'GET' ? 'download' : method === 'PUT' ? 'upload' : undefined;
    const header = headerValue(req, 'authorization') ?? '';
    const token = header.startsWith('RemoteAuth ') ? header.slice('RemoteAuth '.length).trim() : '';
    const identity = repo && operation ? lfsTokens.verify(token, repo.id, operation, clock.now()) : undefined;
    if (!repo || !operation || !identity || !OID_PATTERN.test(oid)) {
      ledger.authFailure('bitbucket-cloud');
      sendJson(res, 401, { message: 'Credentials needed' }, {}, LFS_MEDIA_TYPE);
      return;
    }
    const ticket = ledger.begin(identity, 'lfs');
    res.on('close', () => ledger.end(ticket));
    await sleep(this.cloud.latencyMs);
    if (operation === 'download') {
      const size = await host.lfs.size(repo.id, oid);
      if (size === undefined) {
        sendJson(res, 404, { message: 'Object does not exist' }, {}, LFS_MEDIA_TYPE);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
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
      send(res, 200, undefined);
    } catch (error) {
      if (!(error instanceof LfsObjectMismatchError)) throw error;
      sendJson(res, 422, { message: error.message }, {}, LFS_MEDIA_TYPE);
    }
  }
}
