import { FormDataError, readUploadedFiles } from '../../core/http-form-data';
import { readBody } from '../../core/http-io';
import type { HttpRouter } from '../../core/http-router';
import { createEmptyRepository, createWikiRepository } from '../../core/world/empty-repository';
import type { IssueCommentRecord, IssueRecord, ReleaseAssetRecord, ReviewCommentRecord, SimRepository } from '../../core/world/world-model';
import { writeInstant } from '../../core/write-time';
import { canSee, canSeeWorkspace, NEEDS, repositoryPermission, type ScopeNeed } from './bitbucket-cloud-access';
import type { CloudRequest, CloudResult, CloudRoute } from './bitbucket-cloud-context';
import { issuesOf, pullRequestCommentsOf, pullRequestsOf, putDownload, setCommentParent } from './bitbucket-cloud-metadata';
import { repositorySize } from './bitbucket-cloud-repository-size';
import * as ser from './bitbucket-cloud-serializers';

const REPO = '/2.0/repositories/{workspace}/{repo_slug}';
const REPOSITORY_NOT_FOUND = 'You may not have access to this repository or it no longer exists in this workspace.';
/** What HEAD names in a repository nobody pushed to yet (bitbucket.org's default branch name). */
const NEW_REPOSITORY_MAIN_BRANCH = 'main';
const WIKI_BRANCH = 'master';
const SLUG = /^[a-z0-9_.-]+$/;

type Body = Record<string, unknown>;

class BodyError extends Error {}

function fail(status: number, message: string): CloudResult {
  return { kind: 'error', status, message };
}

async function jsonBody(request: CloudRequest): Promise<Body> {
  const raw = (await readBody(request.req)).toString('utf8');
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BodyError('Malformed JSON in the request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BodyError('The request body must be a JSON object');
  return parsed as Body;
}

function object(body: Body, key: string): Body | undefined {
  const value = body[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : undefined;
}

function text(body: Body | undefined, key: string): string | undefined {
  const value = body?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** `content.raw` of issues and comments (Bitbucket's rendered-content objects). */
function raw(body: Body): string | undefined {
  return text(object(body, 'content'), 'raw');
}

/** The author a write is attributed to: the user behind an API token (access tokens act as bots the world has no user for). */
function authorOf(request: CloudRequest): number {
  return request.viewer.kind === 'user' ? request.viewer.user.id : 0;
}

function nextNumber(repo: SimRepository): number {
  return repo.metadata.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1;
}

type RepoHandler = (request: CloudRequest, repo: SimRepository, body: Body) => Promise<CloudResult> | CloudResult;

/** A write on an existing repository: visible (404), then allowed `minimum` (403), with its JSON body read. */
function repoWrite(router: HttpRouter<CloudRoute>, method: 'POST' | 'PUT', suffix: string, need: ScopeNeed, minimum: 'read' | 'write', handler: RepoHandler, readsJson = true): void {
  router.add(method, `${REPO}${suffix}`, {
    need,
    handler: async (request) => {
      const { host, directory } = request.cloud;
      if (request.viewer.kind === 'anonymous') return fail(401, 'Unauthorized');
      const repo = host.world.repository(request.params.workspace, request.params.repo_slug);
      if (!repo || !canSee(host.world, directory, request.viewer, repo)) return fail(404, REPOSITORY_NOT_FOUND);
      if (minimum === 'write' && repositoryPermission(host.world, directory, request.viewer, repo) !== 'write') return fail(403, 'You do not have write access to this repository.');
      try {
        return await handler(request, repo, readsJson ? await jsonBody(request) : {});
      } catch (error) {
        if (error instanceof BodyError) return fail(400, error.message);
        throw error;
      }
    },
  });
}

/** Who may create repositories in a workspace: its admins, members when members may write, and its workspace or project access tokens. */
function mayCreateIn(request: CloudRequest, workspace: string, projectKey: string): boolean {
  const { viewer } = request;
  const org = request.cloud.host.world.organization(workspace);
  if (!org) return false;
  if (viewer.kind === 'token') {
    const credential = viewer.credential;
    if (credential.workspace !== org.login.toLowerCase()) return false;
    return credential.type === 'workspace_access_token' || (credential.type === 'project_access_token' && credential.project === projectKey);
  }
  if (viewer.kind !== 'user') return false;
  const role = org.members.get(viewer.user.id);
  return role === 'admin' || (role === 'member' && org.memberPermission === 'write');
}

function repositoryJson(request: CloudRequest, repo: SimRepository, status: number): CloudResult {
  return { kind: 'json', status, body: ser.repository(request.ser, repo, repositorySize(repo)) };
}

/** `POST /2.0/repositories/{workspace}/{repo_slug}`: an empty git repository in a project of the workspace (Bitbucket answers 200). */
async function createRepository(request: CloudRequest): Promise<CloudResult> {
  const { host, directory } = request.cloud;
  const org = host.world.organization(request.params.workspace);
  if (!org || !canSeeWorkspace(host.world, request.viewer, org.login)) return fail(404, `No workspace with identifier '${request.params.workspace}'.`);
  const body = await jsonBody(request);
  const slug = request.params.repo_slug.toLowerCase();
  if (!SLUG.test(slug)) return fail(400, 'Invalid slug: use lower case letters, digits, ".", "_" and "-".');
  const scm = text(body, 'scm') ?? 'git';
  if (scm !== 'git') return fail(400, 'Only git repositories can be created: Mercurial is no longer supported.');
  const workspace = directory.workspace(org.login);
  const wanted = text(object(body, 'project'), 'key');
  const project = wanted === undefined ? workspace?.projects[0] : workspace?.projects.find((p) => p.key === wanted || p.uuid === wanted);
  if (!project) return fail(400, `Project not found: ${wanted ?? '(none)'}`);
  if (!mayCreateIn(request, org.login, project.key)) return fail(403, 'You do not have permission to create repositories in this workspace.');
  if (host.world.repository(org.login, slug)) return fail(400, 'Repository with this Slug and Owner already exists.');
  const repo = await createEmptyRepository(
    host.world,
    { reposRoot: host.reposRoot, git: host.git, refs: host.refs },
    org.login,
    { name: slug, private: body['is_private'] !== false, description: text(body, 'description') ?? '', defaultBranch: NEW_REPOSITORY_MAIN_BRANCH },
    request.cloud.clock.now(),
  );
  if (body['has_wiki'] === true) await createWikiRepository({ reposRoot: host.reposRoot, git: host.git, refs: host.refs }, repo, WIKI_BRANCH);
  directory.setTraits(repo, { projectKey: project.key, hasIssues: body['has_issues'] === true });
  return repositoryJson(request, repo, 200);
}

/** `PUT …/{repo_slug}`: description, privacy, issue tracker, wiki, and the main branch (which must exist). */
async function updateRepository(request: CloudRequest, repo: SimRepository, body: Body): Promise<CloudResult> {
  const { host, directory } = request.cloud;
  const mainbranch = text(object(body, 'mainbranch'), 'name');
  if (mainbranch !== undefined) {
    if (!(await host.refs.ref(repo.gitDir, `refs/heads/${mainbranch}`))) return fail(400, `mainbranch: branch "${mainbranch}" does not exist`);
    await host.git.run(['--git-dir', repo.gitDir, 'symbolic-ref', 'HEAD', `refs/heads/${mainbranch}`]);
    repo.defaultBranch = mainbranch;
  }
  const description = text(body, 'description');
  if (description !== undefined) repo.description = description;
  if (typeof body['is_private'] === 'boolean') repo.private = body['is_private'];
  if (typeof body['has_issues'] === 'boolean') directory.setTraits(repo, { ...directory.traitsOf(repo), hasIssues: body['has_issues'] });
  if (body['has_wiki'] === true) await createWikiRepository({ reposRoot: host.reposRoot, git: host.git, refs: host.refs }, repo, WIKI_BRANCH);
  repo.updatedAt = writeInstant(request.cloud.clock);
  return repositoryJson(request, repo, 200);
}

async function pullJson(request: CloudRequest, repo: SimRepository, issue: IssueRecord, status: number): Promise<CloudResult> {
  const refs = await request.cloud.host.refs.refs(repo.gitDir);
  const sha = (branch: string | undefined): string | null => refs.find((r) => r.name === `refs/heads/${branch ?? ''}`)?.sha ?? null;
  const body = ser.pullRequest(request.ser, repo, {
    issue,
    sourceSha: sha(issue.pull?.headRef),
    destinationSha: sha(issue.pull?.baseRef),
    commentCount: pullRequestCommentsOf(repo, issue.number).length,
    reviews: repo.metadata.reviews.filter((r) => r.pullNumber === issue.number),
  });
  return { kind: 'json', status, body };
}

/** `POST …/pullrequests`: from a branch of this repository to another (default: the main branch). */
async function createPullRequest(request: CloudRequest, repo: SimRepository, body: Body): Promise<CloudResult> {
  const title = text(body, 'title');
  if (!title || title.trim() === '') return fail(400, 'title: This field is required.');
  const source = text(object(object(body, 'source') ?? {}, 'branch'), 'name');
  if (!source) return fail(400, 'source: This field is required.');
  const destination = text(object(object(body, 'destination') ?? {}, 'branch'), 'name') ?? repo.defaultBranch;
  const { refs } = request.cloud.host;
  if (!(await refs.ref(repo.gitDir, `refs/heads/${source}`))) return fail(400, `source: branch "${source}" not found`);
  if (!(await refs.ref(repo.gitDir, `refs/heads/${destination}`))) return fail(400, `destination: branch "${destination}" not found`);
  if (source === destination) return fail(400, 'source and destination branches must be different');
  const at = writeInstant(request.cloud.clock);
  const issue: IssueRecord = {
    id: request.cloud.host.world.ids.allocate('issue'),
    number: nextNumber(repo),
    title,
    body: text(body, 'description') ?? '',
    state: 'open',
    authorId: authorOf(request),
    assigneeIds: [],
    labelNames: [],
    milestoneNumber: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    pull: { id: request.cloud.host.world.ids.allocate('pull'), headRef: source, baseRef: destination, merged: false, mergedAt: null, draft: body['draft'] === true },
  };
  repo.metadata.issues.push(issue);
  repo.updatedAt = at;
  return pullJson(request, repo, issue, 201);
}

/** `PUT …/pullrequests/{id}`: title, description, destination branch and draft flag of an open pull request. */
async function updatePullRequest(request: CloudRequest, repo: SimRepository, body: Body): Promise<CloudResult> {
  const pull = pullOf(request, repo);
  if (!pull?.pull) return fail(404, `No pull request with id ${request.params.pull_request_id}`);
  if (pull.state !== 'open') return fail(400, 'Only open pull requests can be updated.');
  const title = text(body, 'title');
  if (title !== undefined) {
    if (title.trim() === '') return fail(400, 'title: This field may not be blank.');
    pull.title = title;
  }
  const description = text(body, 'description');
  if (description !== undefined) pull.body = description;
  const destination = text(object(object(body, 'destination') ?? {}, 'branch'), 'name');
  if (destination !== undefined) {
    if (!(await request.cloud.host.refs.ref(repo.gitDir, `refs/heads/${destination}`))) return fail(400, `destination: branch "${destination}" not found`);
    pull.pull.baseRef = destination;
  }
  if (typeof body['draft'] === 'boolean') pull.pull.draft = body['draft'];
  pull.updatedAt = writeInstant(request.cloud.clock);
  return pullJson(request, repo, pull, 200);
}

function pullOf(request: CloudRequest, repo: SimRepository): IssueRecord | undefined {
  return pullRequestsOf(repo).find((p) => String(p.number) === request.params.pull_request_id);
}

async function declinePullRequest(request: CloudRequest, repo: SimRepository): Promise<CloudResult> {
  const pull = pullOf(request, repo);
  if (!pull) return fail(404, `No pull request with id ${request.params.pull_request_id}`);
  if (pull.state !== 'open') return fail(400, 'You can only decline an open pull request.');
  const at = writeInstant(request.cloud.clock);
  pull.state = 'closed';
  pull.closedAt = at;
  pull.updatedAt = at;
  return pullJson(request, repo, pull, 200);
}

/** `POST …/pullrequests/{id}/comments`: a conversation comment, or an inline one (`inline.path`, `inline.to`). */
function createPullRequestComment(request: CloudRequest, repo: SimRepository, body: Body): CloudResult {
  const pull = pullOf(request, repo);
  if (!pull) return fail(404, `No pull request with id ${request.params.pull_request_id}`);
  const content = raw(body);
  if (content === undefined || content.trim() === '') return fail(400, 'content: This field is required.');
  const parent = replyParent(body, pullRequestCommentsOf(repo, pull.number));
  if (typeof parent === 'object') return parent;
  const at = writeInstant(request.cloud.clock);
  const ids = request.cloud.host.world.ids;
  const inline = object(body, 'inline');
  let comment: IssueCommentRecord | ReviewCommentRecord;
  if (inline) {
    const path = text(inline, 'path');
    const line = Number(inline['to'] ?? inline['from']);
    if (!path || !Number.isInteger(line) || line < 1) return fail(400, 'inline: a path and a line (to or from) are required');
    comment = { id: ids.allocate('reviewComment'), pullNumber: pull.number, reviewId: 0, authorId: authorOf(request), body: content, path, line, createdAt: at, updatedAt: at };
    repo.metadata.reviewComments.push(comment);
  } else {
    comment = { id: ids.allocate('issueComment'), issueNumber: pull.number, authorId: authorOf(request), body: content, createdAt: at, updatedAt: at };
    repo.metadata.issueComments.push(comment);
  }
  if (parent !== undefined) setCommentParent(comment, parent);
  pull.updatedAt = at;
  return { kind: 'json', status: 201, body: ser.pullRequestComment(request.ser, repo, pull, comment) };
}

/** `parent.id` of a reply: a comment of the same pull request or issue (undefined: no reply), or the refusal. */
function replyParent(body: Body, siblings: Array<IssueCommentRecord | ReviewCommentRecord>): number | undefined | CloudResult {
  const parent = object(body, 'parent')?.['id'];
  if (parent === undefined) return undefined;
  if (typeof parent !== 'number' || !siblings.some((c) => c.id === parent)) return fail(400, `parent: comment ${String(parent)} not found`);
  return parent;
}

const OPEN_STATES = new Set(['new', 'open']);
const ISSUE_STATES = new Set(['new', 'open', 'resolved', 'on hold', 'invalid', 'duplicate', 'wontfix', 'closed']);

/** Kind and state of an issue from a body (the world keeps a kind other than bug as a label; any state but new/open is closed). */
function applyIssueFields(issue: IssueRecord, body: Body, at: string): CloudResult | null {
  const kind = text(body, 'kind');
  if (kind !== undefined) {
    if (!(ser.ISSUE_KINDS as readonly string[]).includes(kind)) return fail(400, `kind: "${kind}" is not a valid choice`);
    issue.labelNames = [...issue.labelNames.filter((l) => !(ser.ISSUE_KINDS as readonly string[]).includes(l)), ...(kind === 'bug' ? [] : [kind])];
  }
  const state = text(body, 'state');
  if (state !== undefined) {
    if (!ISSUE_STATES.has(state)) return fail(400, `state: "${state}" is not a valid choice`);
    const open = OPEN_STATES.has(state);
    if (open !== (issue.state === 'open')) {
      issue.state = open ? 'open' : 'closed';
      issue.closedAt = open ? null : at;
    }
  }
  const title = text(body, 'title');
  if (title !== undefined) {
    if (title.trim() === '') return fail(400, 'title: This field may not be blank.');
    issue.title = title;
  }
  const content = raw(body);
  if (content !== undefined) issue.body = content;
  return null;
}

function trackerOf(request: CloudRequest, repo: SimRepository): CloudResult | null {
  return request.cloud.directory.traitsOf(repo).hasIssues ? null : fail(404, 'Repository has no issue tracker.');
}

function createIssue(request: CloudRequest, repo: SimRepository, body: Body): CloudResult {
  const noTracker = trackerOf(request, repo);
  if (noTracker) return noTracker;
  if (!text(body, 'title')?.trim()) return fail(400, 'title: This field is required.');
  const at = writeInstant(request.cloud.clock);
  const issue: IssueRecord = {
    id: request.cloud.host.world.ids.allocate('issue'),
    number: nextNumber(repo),
    title: '',
    body: '',
    state: 'open',
    authorId: authorOf(request),
    assigneeIds: [],
    labelNames: [],
    milestoneNumber: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    pull: null,
  };
  const refused = applyIssueFields(issue, body, at);
  if (refused) return refused;
  repo.metadata.issues.push(issue);
  repo.updatedAt = at;
  return { kind: 'json', status: 201, body: ser.issue(request.ser, repo, issue) };
}

function issueOf(request: CloudRequest, repo: SimRepository): IssueRecord | undefined {
  return issuesOf(repo, request.cloud.directory).find((i) => String(i.number) === request.params.issue_id);
}

function updateIssue(request: CloudRequest, repo: SimRepository, body: Body): CloudResult {
  const issue = trackerOf(request, repo) ? undefined : issueOf(request, repo);
  if (!issue) return fail(404, `No issue with id ${request.params.issue_id}`);
  const at = writeInstant(request.cloud.clock);
  const refused = applyIssueFields(issue, body, at);
  if (refused) return refused;
  issue.updatedAt = at;
  return { kind: 'json', status: 200, body: ser.issue(request.ser, repo, issue) };
}

function createIssueComment(request: CloudRequest, repo: SimRepository, body: Body): CloudResult {
  const issue = trackerOf(request, repo) ? undefined : issueOf(request, repo);
  if (!issue) return fail(404, `No issue with id ${request.params.issue_id}`);
  const content = raw(body);
  if (content === undefined || content.trim() === '') return fail(400, 'content: This field is required.');
  const parent = replyParent(body, repo.metadata.issueComments.filter((c) => c.issueNumber === issue.number));
  if (typeof parent === 'object') return parent;
  const at = writeInstant(request.cloud.clock);
  const comment: IssueCommentRecord = { id: request.cloud.host.world.ids.allocate('issueComment'), issueNumber: issue.number, authorId: authorOf(request), body: content, createdAt: at, updatedAt: at };
  if (parent !== undefined) setCommentParent(comment, parent);
  repo.metadata.issueComments.push(comment);
  issue.updatedAt = at;
  return { kind: 'json', status: 201, body: ser.issueComment(request.ser, repo, issue, comment) };
}

/** `POST …/downloads`: multipart `files` fields; a file with the name of an existing download replaces it. */
async function uploadDownloads(request: CloudRequest, repo: SimRepository): Promise<CloudResult> {
  let files;
  try {
    files = (await readUploadedFiles(request.req)).filter((f) => f.field === 'files' && f.filename);
  } catch (error) {
    if (error instanceof FormDataError) return fail(400, error.message);
    throw error;
  }
  if (files.length === 0) return fail(400, 'files: at least one file is required');
  const at = writeInstant(request.cloud.clock);
  for (const file of files) {
    const asset: ReleaseAssetRecord = { id: request.cloud.host.world.ids.allocate('releaseAsset'), name: file.filename, contentType: file.contentType, content: file.content, uploaderId: authorOf(request), createdAt: at };
    putDownload(repo, asset);
  }
  return { kind: 'json', status: 201, body: {} };
}

/**
 * The writes a restore needs, on the paths and with the scopes Bitbucket Cloud's description names:
 * repositories, pull requests (updating and declining them), their comments, issues and their comments
 * (API tokens only), and download artifacts.
 */
export function registerCloudWriteRoutes(router: HttpRouter<CloudRoute>): void {
  router.add('POST', REPO, {
    need: NEEDS.repositoryAdmin,
    handler: async (request) => {
      try {
        return await createRepository(request);
      } catch (error) {
        if (error instanceof BodyError) return fail(400, error.message);
        throw error;
      }
    },
  });
  repoWrite(router, 'PUT', '', NEEDS.repositoryAdmin, 'write', updateRepository);
  repoWrite(router, 'POST', '/pullrequests', NEEDS.pullrequestWrite, 'read', createPullRequest);
  repoWrite(router, 'PUT', '/pullrequests/{pull_request_id}', NEEDS.pullrequestWrite, 'read', updatePullRequest);
  repoWrite(router, 'POST', '/pullrequests/{pull_request_id}/decline', NEEDS.pullrequestWrite, 'read', (request, repo) => declinePullRequest(request, repo), false);
  repoWrite(router, 'POST', '/pullrequests/{pull_request_id}/comments', NEEDS.pullrequest, 'read', createPullRequestComment);
  repoWrite(router, 'POST', '/issues', NEEDS.issueWrite, 'read', createIssue);
  repoWrite(router, 'PUT', '/issues/{issue_id}', NEEDS.issueWrite, 'read', updateIssue);
  repoWrite(router, 'POST', '/issues/{issue_id}/comments', NEEDS.issueWrite, 'read', createIssueComment);
  repoWrite(router, 'POST', '/downloads', NEEDS.repositoryWrite, 'write', (request, repo) => uploadDownloads(request, repo), false);
}
