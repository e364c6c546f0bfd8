import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { gitServiceOf, serveGitHttpBackend } from '../../core/git/git-http-backend';
import { clientIp, headerValue, readJson, send, sendJson, sendText } from '../../core/http-io';
import type { RequestTicket } from '../../core/identity-stats';
import type { LfsOperation } from '../../core/lfs/lfs-action-tokens';
import { answerLfsBatch, LFS_MEDIA_TYPE, LfsBatchRequestError, parseLfsBatchRequest } from '../../core/lfs/lfs-batch';
import { LfsObjectMismatchError, OID_PATTERN } from '../../core/lfs/lfs-object-store';
import type { SimRepository } from '../../core/world/world-model';
import { canRead, canWrite } from './github-access';
import { authenticate, type GithubViewer } from './github-auth';
import type { GithubContext } from './github-context';

export interface GitTarget {
  owner: string;
  repo: string;
  wiki: boolean;
  /** What follows `.git/`, e.g. `info/refs` or `info/lfs/objects/batch`. */
  rest: string;
}

const GIT_PATH = /^\/([^/]+)\/([^/]+?)(\.wiki)?\.git\/(.+)$/;

export function parseGitTarget(path: string): GitTarget | undefined {
  const match = GIT_PATH.exec(path);
  if (!match) return undefined;
  return { owner: decodeURIComponent(match[1]), repo: decodeURIComponent(match[2]), wiki: match[3] !== undefined, rest: match[4] };
}

const WWW_AUTHENTICATE = { 'www-authenticate': 'Basic realm="GitHub"' };

/**
 * Git smart HTTP and Git LFS for GitHub: Basic auth with a token (token as password, any username),
 * 401 with a Basic challenge so git asks for credentials, 404 for what the identity cannot see.
 * Requests count per identity under `git` / `lfs` and take a concurrency slot while they stream.
 */
export class GithubGitService {
  constructor(private readonly gh: GithubContext) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, target: GitTarget): Promise<void> {
    const method = req.method ?? 'GET';
    const repo = this.gh.world.repository(target.owner, target.repo);
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

    // git-lfs reads JSON error bodies; git prints text ones.
    const fail = (status: number, message: string, headers = {}): void => {
      if (isBatch) sendJson(res, status, { message }, headers, LFS_MEDIA_TYPE);
      else sendText(res, status, `${message}\n`, headers);
    };
    const auth = authenticate(this.gh.world, headerValue(req, 'authorization'), clientIp(req));
    if (!auth.ok) {
      this.gh.ledger.authFailure('github');
      fail(401, 'Invalid username or token. Password authentication is not supported for Git operations.', WWW_AUTHENTICATE);
      return;
    }
    const viewer = auth.viewer;
    const gitDir = repo ? (target.wiki ? repo.wikiGitDir : repo.gitDir) : null;
    if (!repo || !gitDir || !canRead(this.gh.world, viewer, repo)) {
      // Anonymous callers are challenged so git retries with credentials; others learn nothing.
      if (viewer.kind === 'anonymous') fail(401, 'Authentication required', WWW_AUTHENTICATE);
      else fail(404, 'Repository not found.');
      return;
    }
    if (service === 'git-receive-pack' && !canWrite(this.gh.world, viewer, repo)) {
      this.denyWrite(res, viewer, repo, false);
      return;
    }

    if (!this.admit(res, viewer.identity, isBatch ? 'lfs' : 'git', method, isBatch)) return;
    await sleep(this.gh.latencyMs);

    if (isBatch) {
      await this.lfsBatch(req, res, url, viewer, repo);
      return;
    }
    const suffix = target.wiki ? '.wiki.git' : '.git';
    const status = await serveGitHttpBackend(this.gh.git, {
      req,
      res,
      projectRoot: this.gh.reposRoot,
      pathInfo: `/${repo.owner.login}/${repo.name}${suffix}/${target.rest}`,
      query: url.search.replace(/^\?/, ''),
      remoteUser: viewer.kind === 'user' ? viewer.user.login : undefined,
      remoteAddr: clientIp(req),
    });
    if (service === 'git-receive-pack' && method === 'POST' && status === 200 && !target.wiki) this.gh.mutations.touchPushed(repo);
  }

  /** Counts the request and applies the identity's secondary limits; undefined when refused (already answered). */
  private admit(res: ServerResponse, identity: string, resource: 'git' | 'lfs', method: string, json: boolean): RequestTicket | undefined {
    const ticket = this.gh.ledger.begin(identity, resource);
    res.on('close', () => this.gh.ledger.end(ticket));
    const verdict = this.gh.limits.checkSecondary(identity, resource, method, false);
    if (!verdict.refused) return ticket;
    this.gh.ledger.refused(ticket, `secondary-${verdict.reason}`);
    const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    const headers = { 'retry-after': verdict.retryAfterSeconds };
    if (json) sendJson(res, 403, { message }, headers, LFS_MEDIA_TYPE);
    else sendText(res, 403, `${message}\n`, headers);
    return undefined;
  }

  private denyWrite(res: ServerResponse, viewer: GithubViewer, repo: SimRepository, json: boolean): void {
    if (viewer.kind === 'anonymous') {
      sendText(res, 401, 'Authentication required\n', WWW_AUTHENTICATE);
      return;
    }
    const message = `Permission to ${repo.owner.login}/${repo.name}.git denied to ${viewer.user.login}.`;
    if (json) sendJson(res, 403, { message }, {}, LFS_MEDIA_TYPE);
    else sendText(res, 403, `${message}\n`);
  }

  private async lfsBatch(req: IncomingMessage, res: ServerResponse, url: URL, viewer: GithubViewer, repo: SimRepository): Promise<void> {
    let request;
    try {
      request = parseLfsBatchRequest(await readJson(req));
    } catch (error) {
      const message = error instanceof LfsBatchRequestError ? error.message : 'Invalid JSON body';
      sendJson(res, 422, { message }, {}, LFS_MEDIA_TYPE);
      return;
    }
    if (request.operation === 'upload' && !canWrite(this.gh.world, viewer, repo)) {
      this.denyWrite(res, viewer, repo, true);
      return;
    }
    const now = this.gh.clock.now();
    const ttlMs = this.gh.clock.durationMs(this.gh.options.lfsActionExpiresSeconds);
    const body = await answerLfsBatch(request, {
      store: this.gh.lfs,
      repositoryId: repo.id,
      objectHref: (oid) => `${url.origin}/${encodeURIComponent(repo.owner.login)}/${encodeURIComponent(repo.name)}.git/info/lfs/objects/${oid}`,
      authorization: (operation: LfsOperation) => `RemoteAuth ${this.gh.lfsTokens.mint(viewer.identity, repo.id, operation, now, ttlMs)}`,
      expiresInSeconds: Math.max(1, Math.floor(ttlMs / 1000)),
    });
    sendJson(res, 200, body, {}, LFS_MEDIA_TYPE);
  }

  /** Object download/upload authorised by the short-lived header a batch response handed out. */
  private async lfsTransfer(req: IncomingMessage, res: ServerResponse, repo: SimRepository | undefined, oid: string, method: string): Promise<void> {
    const operation: LfsOperation | undefined = method === 'GET' ? 'download' : method === 'PUT' ? 'upload' : undefined;
    const header = headerValue(req, 'authorization') ?? '';
    const token = header.startsWith('RemoteAuth ') ? header.slice('RemoteAuth '.length).trim() : '';
    const identity = repo && operation ? this.gh.lfsTokens.verify(token, repo.id, operation, this.gh.clock.now()) : undefined;
    if (!repo || !operation || !identity || !OID_PATTERN.test(oid)) {
      if (!identity) this.gh.ledger.authFailure('github');
      sendJson(res, 401, { message: 'Credentials needed' }, {}, LFS_MEDIA_TYPE);
      return;
    }
    if (!this.admit(res, identity, 'lfs', method, true)) return;
    await sleep(this.gh.latencyMs);
    if (operation === 'download') {
      const size = await this.gh.lfs.size(repo.id, oid);
      if (size === undefined) {
        sendJson(res, 404, { message: 'Object does not exist' }, {}, LFS_MEDIA_TYPE);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      this.gh.lfs.read(repo.id, oid).on('error', () => res.destroy()).pipe(res);
      return;
    }
    const announced = headerValue(req, 'content-length');
    try {
      await this.gh.lfs.putVerified(repo.id, oid, announced === undefined ? undefined : Number(announced), req);
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
