import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../../core/clock';
import { gitServiceOf, serveGitHttpBackend } from '../../core/git/git-http-backend';
import { clientIp, headerValue, readJson, send, sendJson, sendText, type HeaderMap } from '../../core/http-io';
import type { RequestTicket } from '../../core/identity-stats';
import type { LfsOperation } from '../../core/lfs/lfs-action-tokens';
import { answerLfsBatch, LFS_MEDIA_TYPE, LfsBatchRequestError, parseLfsBatchRequest } from '../../core/lfs/lfs-batch';
import { LfsObjectMismatchError, OID_PATTERN } from '../../core/lfs/lfs-object-store';
import { WIKI_BRANCH } from '../../core/seeding/repository-content';
import { createWikiRepository } from '../../core/world/empty-repository';
import { canUseGitRead, canUseGitWrite, type GitlabViewer } from './gitlab-access';
import { authenticateGit } from './gitlab-auth';
import type { GitlabContext } from './gitlab-context';
import { projectFullPath, type GitlabProject } from './gitlab-model';
import { rateLimitHeaders, refusalHeaders } from './gitlab-rate-limits';

export interface GitlabGitTarget {
  /** The project's full path, e.g. `acme-group/platform/svc-0001`. */
  projectPath: string;
  wiki: boolean;
  /** What follows `.git/`, e.g. `info/refs` or `info/lfs/objects/batch`. */
  rest: string;
}

const GIT_PATH = /^\/(.+?)\/([^/]+?)(\.wiki)?\.git\/(.+)$/;

export function parseGitlabGitTarget(path: string): GitlabGitTarget | undefined {
  const match = GIT_PATH.exec(path);
  if (!match) return undefined;
  try {
    return { projectPath: `${decodeURIComponent(match[1])}/${decodeURIComponent(match[2])}`, wiki: match[3] !== undefined, rest: match[4] };
  } catch {
    return undefined;
  }
}

const WWW_AUTHENTICATE = { 'www-authenticate': 'Basic realm="GitLab"' };
const ACCESS_DENIED =
  "HTTP Basic: Access denied. If a password was provided for Git authentication, the password was incorrect or you're required to use a token instead of a password. If a token was provided, it was either incorrect, expired, or improperly scoped.";
const NOT_FOUND = "The project you were looking for could not be found or you don't have permission to view it.";

/**
 * Git smart HTTP and Git LFS the GitLab way: Basic auth with an access token as the password (any
 * username) or an OAuth token with username `oauth2`; tokens need `read_repository` (or
 * `write_repository`, `api`) and Reporter access. Git and LFS requests count per identity under
 * `git`, against the 10,000-per-minute git budget.
 */
export class GitlabGitService {
  constructor(private readonly ctx: GitlabContext) {}

  async handle(req: IncomingMessage, res: ServerResponse, url: URL, target: GitlabGitTarget): Promise<void> {
    const method = req.method ?? 'GET';
    const project = this.ctx.gl.projectByPath(target.projectPath);
    const transfer = /^gitlab-lfs\/objects\/([0-9a-f]{64})(?:\/(\d+))?$/.exec(target.rest);
    if (transfer && !target.wiki) {
      await this.lfsTransfer(req, res, project, transfer[1], method);
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

    const auth = authenticateGit(this.ctx.gl, headerValue(req, 'authorization'), clientIp(req), this.ctx.clock.now());
    if (!auth.ok) {
      this.ctx.ledger.authFailure('gitlab');
      fail(401, ACCESS_DENIED, WWW_AUTHENTICATE);
      return;
    }
    const viewer = auth.viewer;
    const writing = service === 'git-receive-pack';
    let gitDir = project ? (target.wiki ? project.repo.wikiGitDir : project.repo.gitDir) : null;
    if (!gitDir && project && target.wiki && this.createsWikiOnAccess(viewer, project, writing)) {
      gitDir = await createWikiRepository({ reposRoot: this.ctx.reposRoot, git: this.ctx.git, refs: this.ctx.refs }, project.repo, WIKI_BRANCH);
    }
    if (!project || !gitDir || !this.ctx.access.canReadCode(viewer, project)) {
      // Anonymous callers are asked for credentials; others learn nothing.
      if (viewer.kind === 'anonymous') fail(401, ACCESS_DENIED, WWW_AUTHENTICATE);
      else fail(404, NOT_FOUND);
      return;
    }
    if (!this.admit(res, viewer.identity, isBatch)) return;
    if (viewer.kind === 'user' && !(writing ? canUseGitWrite(viewer.token) : canUseGitRead(viewer.token))) {
      fail(403, writing ? 'You are not allowed to push code to this project.' : 'You are not allowed to download code.');
      return;
    }
    if (writing && !this.ctx.access.canPush(viewer, project)) {
      fail(viewer.kind === 'anonymous' ? 401 : 403, 'You are not allowed to push code to this project.', viewer.kind === 'anonymous' ? WWW_AUTHENTICATE : {});
      return;
    }
    await sleep(this.ctx.latencyMs);

    if (isBatch) {
      await this.lfsBatch(req, res, url, viewer, project);
      return;
    }
    const suffix = target.wiki ? '.wiki.git' : '.git';
    const status = await serveGitHttpBackend(this.ctx.git, {
      req,
      res,
      projectRoot: this.ctx.reposRoot,
      pathInfo: `/${projectFullPath(project)}${suffix}/${target.rest}`,
      query: url.search.replace(/^\?/, ''),
      remoteUser: viewer.kind === 'user' ? viewer.user.username : undefined,
      remoteAddr: clientIp(req),
    });
    if (writing && method === 'POST' && status === 200 && !target.wiki) this.ctx.mutations.touchPushed(project.repo);
  }

  /**
   * An enabled wiki without pages has no repository yet: git access by someone who may read (or,
   * for a push, push to) the project creates it, empty, as GitLab does on demand.
   */
  private createsWikiOnAccess(viewer: GitlabViewer, project: GitlabProject, writing: boolean): boolean {
    if (project.wikiEnabled !== true || !this.ctx.access.canReadCode(viewer, project)) return false;
    if (!writing) return viewer.kind === 'anonymous' || canUseGitRead(viewer.token);
    return viewer.kind === 'user' && canUseGitWrite(viewer.token) && this.ctx.access.canPush(viewer, project);
  }

  /** Counts the request against the identity's git budget; undefined when throttled (already answered). */
  private admit(res: ServerResponse, identity: string, json: boolean): RequestTicket | undefined {
    const { ledger, limits } = this.ctx;
    const ticket = ledger.begin(identity, 'git');
    res.on('close', () => ledger.end(ticket));
    const verdict = limits.consumeGit(identity);
    limits.announce(identity, '', 'git', verdict);
    if (verdict.allowed) {
      // git http-backend writes its own head; these are merged into it.
      for (const [name, value] of Object.entries(rateLimitHeaders(verdict))) res.setHeader(name, String(value));
      return ticket;
    }
    ledger.refused(ticket, verdict.name);
    if (json) sendJson(res, 429, { message: 'Retry later' }, refusalHeaders(verdict), LFS_MEDIA_TYPE);
    else sendText(res, 429, 'Retry later\n', refusalHeaders(verdict));
    return undefined;
  }

  private async lfsBatch(req: IncomingMessage, res: ServerResponse, url: URL, viewer: GitlabViewer, project: GitlabProject): Promise<void> {
    let request;
    try {
      request = parseLfsBatchRequest(await readJson(req));
    } catch (error) {
      sendJson(res, 422, { message: error instanceof LfsBatchRequestError ? error.message : 'Invalid JSON body' }, {}, LFS_MEDIA_TYPE);
      return;
    }
    if (request.operation === 'upload' && (viewer.kind !== 'user' || !canUseGitWrite(viewer.token) || !this.ctx.access.canPush(viewer, project))) {
      sendJson(res, 403, { message: 'Access forbidden. Check your access level.' }, {}, LFS_MEDIA_TYPE);
      return;
    }
    const now = this.ctx.clock.now();
    const ttlMs = this.ctx.clock.durationMs(this.ctx.options.lfsActionExpiresSeconds);
    const username = viewer.kind === 'user' ? viewer.user.username : 'anonymous';
    const base = `${url.origin}/${projectFullPath(project).split('/').map(encodeURIComponent).join('/')}.git/gitlab-lfs/objects`;
    const body = await answerLfsBatch(request, {
      store: this.ctx.lfs,
      repositoryId: project.id,
      objectHref: (oid) => `${base}/${oid}`,
      authorization: (operation: LfsOperation) => {
        const token = this.ctx.lfsTokens.mint(viewer.identity, project.id, operation, now, ttlMs);
        return `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;
      },
      expiresInSeconds: Math.max(1, Math.floor(ttlMs / 1000)),
    });
    sendJson(res, 200, body, {}, LFS_MEDIA_TYPE);
  }

  /** Object download/upload authorised by the short-lived credentials a batch response handed out. */
  private async lfsTransfer(req: IncomingMessage, res: ServerResponse, project: GitlabProject | undefined, oid: string, method: string): Promise<void> {
    const operation: LfsOperation | undefined = method === 'GET' ? 'download' : method === 'PUT' ? 'upload' : undefined;
    const header = headerValue(req, 'authorization') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    const decoded = basic ? Buffer.from(basic[1], 'base64').toString('utf8') : '';
    const token = decoded.slice(decoded.indexOf(':') + 1);
    const identity = project && operation ? this.ctx.lfsTokens.verify(token, project.id, operation, this.ctx.clock.now()) : undefined;
    if (!project || !operation || !identity || !OID_PATTERN.test(oid)) {
      this.ctx.ledger.authFailure('gitlab');
      sendJson(res, 401, { message: 'Access denied' }, WWW_AUTHENTICATE, LFS_MEDIA_TYPE);
      return;
    }
    if (!this.admit(res, identity, true)) return;
    await sleep(this.ctx.latencyMs);
    if (operation === 'download') {
      const size = await this.ctx.lfs.size(project.id, oid);
      if (size === undefined) {
        sendJson(res, 404, { message: 'Not found' }, {}, LFS_MEDIA_TYPE);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size });
      this.ctx.lfs.read(project.id, oid).on('error', () => res.destroy()).pipe(res);
      return;
    }
    const announced = headerValue(req, 'content-length');
    try {
      await this.ctx.lfs.putVerified(project.id, oid, announced === undefined ? undefined : Number(announced), req);
      if (!project.repo.lfsOids.includes(oid)) {
        project.repo.lfsOids.push(oid);
        project.repo.lfsOids.sort();
      }
      send(res, 200, undefined);
    } catch (error) {
      if (!(error instanceof LfsObjectMismatchError)) throw error;
      sendJson(res, 422, { message: error.message }, {}, LFS_MEDIA_TYPE);
    }
  }
}
