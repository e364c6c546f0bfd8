import { readBody } from '../../core/http-io';
import type { HttpRouter } from '../../core/http-router';
import { createEmptyRepository } from '../../core/world/empty-repository';
import type { IssueCommentRecord, IssueRecord, ReviewCommentRecord, SimRepository } from '../../core/world/world-model';
import { writeInstant } from '../../core/write-time';
import { ADMIN, READ, WRITE } from './bitbucket-dc-directory';
import { activitiesOf, pullRequestsOf, setReplyParent } from './bitbucket-dc-metadata';
import type { DcRequest, DcResult, DcRoute } from './bitbucket-dc-routes';
import * as ser from './bitbucket-dc-serializers';

const PROJECT = '/rest/api/latest/projects/{projectKey}';
const REPO = `${PROJECT}/repos/{repositorySlug}`;
/** Where HEAD points in a repository nobody pushed to yet: the instance's default branch name (configurable in Data Center). */
const NEW_REPOSITORY_DEFAULT_BRANCH = 'main';
/** Data Center keeps pull request refs to itself: pushes to them are refused. */
export const BITBUCKET_DC_READ_ONLY_REFS = ['refs/pull-requests/'] as const;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_ .-]{0,127}$/;

const EXCEPTIONS = {
  noProject: 'com.atlassian.bitbucket.project.NoSuchProjectException',
  noRepo: 'com.atlassian.bitbucket.repository.NoSuchRepositoryException',
  noPull: 'com.atlassian.bitbucket.pull.NoSuchPullRequestException',
  noBranch: 'com.atlassian.bitbucket.repository.NoSuchBranchException',
  permission: 'com.atlassian.bitbucket.AuthorisationException',
  validation: 'com.atlassian.bitbucket.validation.ArgumentValidationException',
  duplicateRepo: 'com.atlassian.bitbucket.repository.DuplicateRepositoryNameException',
  duplicatePull: 'com.atlassian.bitbucket.pull.DuplicatePullRequestException',
  emptyPull: 'com.atlassian.bitbucket.pull.EmptyPullRequestException',
  samePull: 'com.atlassian.bitbucket.pull.InvalidPullRequestTargetException',
  pullState: 'com.atlassian.bitbucket.pull.IllegalPullRequestStateException',
  pullVersion: 'com.atlassian.bitbucket.pull.PullRequestOutOfDateException',
} as const;

type Body = Record<string, unknown>;

function error(status: number, message: string, exceptionName: string): DcResult {
  return { kind: 'error', status, message, exceptionName };
}

async function jsonBody(request: DcRequest): Promise<{ body: Body } | { refused: DcResult }> {
  const raw = (await readBody(request.req)).toString('utf8');
  if (raw.trim() === '') return { body: {} };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { body: parsed as Body };
  } catch {
    // answered below
  }
  return { refused: error(400, 'The request body must be a JSON object.', EXCEPTIONS.validation) };
}

function object(body: Body | undefined, key: string): Body | undefined {
  const value = body?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Body) : undefined;
}

function text(body: Body | undefined, key: string): string | undefined {
  const value = body?.[key];
  return typeof value === 'string' ? value : undefined;
}

function authorOf(request: DcRequest): number {
  return request.viewer.kind === 'user' ? request.viewer.user.id : request.viewer.serviceUser.id;
}

type RepoHandler = (request: DcRequest, repo: SimRepository, body: Body) => Promise<DcResult> | DcResult;

/** A write on a repository the credential may read (404 otherwise), holding at least `minimum` on it (401, as Data Center answers). */
function repoWrite(router: HttpRouter<DcRoute>, method: 'POST' | 'PUT', suffix: string, minimum: number, handler: RepoHandler): void {
  router.add(method, `${REPO}${suffix}`, async (request) => {
    const { host, directory } = request.dc;
    const { projectKey, repositorySlug } = request.params;
    if (!host.world.organization(projectKey) || !directory.canViewProject(request.viewer.credential, projectKey)) return error(404, `Project ${projectKey} does not exist.`, EXCEPTIONS.noProject);
    const repo = host.world.repository(projectKey, repositorySlug);
    const level = repo ? directory.repositoryLevel(request.viewer.credential, repo) : 0;
    if (!repo || level < READ) return error(404, `Repository ${projectKey}/${repositorySlug} does not exist.`, EXCEPTIONS.noRepo);
    if (level < minimum) return error(401, `You are not permitted to change ${projectKey}/${repositorySlug}.`, EXCEPTIONS.permission);
    const read = await jsonBody(request);
    return 'refused' in read ? read.refused : handler(request, repo, read.body);
  });
}

/** `POST …/projects/{key}/repos`: an empty git repository; only `name` and `scmId` are used, as documented. */
async function createRepository(request: DcRequest): Promise<DcResult> {
  const { host, directory, clock } = request.dc;
  const key = request.params.projectKey;
  const org = host.world.organization(key);
  if (!org || !directory.canViewProject(request.viewer.credential, key)) return error(404, `Project ${key} does not exist.`, EXCEPTIONS.noProject);
  if (directory.projectLevel(request.viewer.credential, key) < WRITE) return error(401, `You are not permitted to create repositories in ${org.login}.`, EXCEPTIONS.permission);
  const read = await jsonBody(request);
  if ('refused' in read) return read.refused;
  const body = read.body;
  const name = text(body, 'name')?.trim() ?? '';
  if (!NAME.test(name)) return error(400, 'Repository names must start with a letter, digit or underscore, and contain only letters, digits, spaces, "_", "-" and ".".', EXCEPTIONS.validation);
  const scmId = text(body, 'scmId') ?? 'git';
  if (scmId !== 'git') return error(400, `${scmId} is not a supported SCM.`, EXCEPTIONS.validation);
  const slug = name.toLowerCase().replace(/\s+/g, '-');
  if (host.world.repository(org.login, slug)) return error(409, `This repository URL is already taken by '${slug}' in '${org.name}'`, EXCEPTIONS.duplicateRepo);
  const repo = await createEmptyRepository(
    host.world,
    { reposRoot: host.reposRoot, git: host.git, refs: host.refs },
    org.login,
    { name: slug, private: true, description: '', defaultBranch: NEW_REPOSITORY_DEFAULT_BRANCH, readOnlyRefPrefixes: BITBUCKET_DC_READ_ONLY_REFS },
    clock.now(),
  );
  return { kind: 'json', status: 201, body: ser.repository(request.ser, repo) };
}

/** `PUT …/default-branch` `{ "id": "refs/heads/x" }` (REPO_ADMIN); Data Center accepts a branch that does not exist yet. */
async function setDefaultBranch(request: DcRequest, repo: SimRepository, body: Body): Promise<DcResult> {
  const id = text(body, 'id') ?? '';
  const branch = id.startsWith('refs/heads/') ? id.slice('refs/heads/'.length) : id;
  if (!/^[^\s~^:?*[\\]+$/.test(branch) || branch.startsWith('/') || branch.endsWith('/')) return error(400, `${id} is not a valid branch name.`, EXCEPTIONS.validation);
  await request.dc.host.git.run(['--git-dir', repo.gitDir, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  repo.defaultBranch = branch;
  return { kind: 'json', status: 204, body: null };
}

async function pullJson(request: DcRequest, repo: SimRepository, issue: IssueRecord, status: number): Promise<DcResult> {
  const refs = await request.dc.host.refs.refs(repo.gitDir);
  const sha = (branch: string | undefined): string | null => refs.find((r) => r.name === `refs/heads/${branch ?? ''}`)?.sha ?? null;
  const body = ser.pullRequest(request.ser, repo, {
    issue,
    fromSha: sha(issue.pull?.headRef),
    toSha: sha(issue.pull?.baseRef),
    commentCount: activitiesOf(repo, issue).filter((a) => a.kind === 'comment').length,
  });
  return { kind: 'json', status, body };
}

/** A `fromRef`/`toRef`: a branch of this very repository (cross-repository pull requests are not simulated). */
function branchOf(ref: Body | undefined, repo: SimRepository): string | undefined {
  const id = text(ref, 'id');
  if (!id) return undefined;
  const target = object(ref, 'repository');
  const slug = text(target, 'slug');
  const key = text(object(target, 'project'), 'key');
  if ((slug && slug.toLowerCase() !== repo.name.toLowerCase()) || (key && key.toUpperCase() !== repo.owner.login.toUpperCase())) return undefined;
  return id.startsWith('refs/heads/') ? id.slice('refs/heads/'.length) : id;
}

async function isAncestor(request: DcRequest, repo: SimRepository, ancestor: string, of: string): Promise<boolean> {
  try {
    await request.dc.host.git.run(['--git-dir', repo.gitDir, 'merge-base', '--is-ancestor', ancestor, of]);
    return true;
  } catch {
    return false;
  }
}

/** `POST …/pull-requests`: from one branch to another; duplicates of an open one, and empty ones, are refused (409). */
async function createPullRequest(request: DcRequest, repo: SimRepository, body: Body): Promise<DcResult> {
  const title = text(body, 'title')?.trim();
  if (!title) return error(400, 'A title is required.', EXCEPTIONS.validation);
  const from = branchOf(object(body, 'fromRef'), repo);
  const to = branchOf(object(body, 'toRef'), repo);
  if (!from || !to) return error(400, 'fromRef and toRef must name branches of this repository.', EXCEPTIONS.validation);
  if (from === to) return error(400, 'The source and target refs must be different.', EXCEPTIONS.samePull);
  const { refs, git } = request.dc.host;
  const fromRef = await refs.ref(repo.gitDir, `refs/heads/${from}`);
  const toRef = await refs.ref(repo.gitDir, `refs/heads/${to}`);
  if (!fromRef || !toRef) return error(404, `Branch ${!fromRef ? from : to} does not exist in ${repo.owner.login}/${repo.name}.`, EXCEPTIONS.noBranch);
  const open = pullRequestsOf(repo).find((p) => p.state === 'open' && p.pull?.headRef === from && p.pull.baseRef === to);
  if (open) return error(409, `Only one pull request may be open for a given source and target branch (#${open.number}).`, EXCEPTIONS.duplicatePull);
  if (await isAncestor(request, repo, fromRef.sha, toRef.sha)) return error(409, `Repository "${repo.name}" on branch "${to}" is already up-to-date with branch "${from}".`, EXCEPTIONS.emptyPull);
  const at = writeInstant(request.dc.clock);
  const issue: IssueRecord = {
    id: request.dc.host.world.ids.allocate('issue'),
    number: repo.metadata.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1,
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
    pull: { id: request.dc.host.world.ids.allocate('pull'), headRef: from, baseRef: to, merged: false, mergedAt: null, draft: body['draft'] === true },
  };
  repo.metadata.issues.push(issue);
  repo.updatedAt = at;
  await git.run(['--git-dir', repo.gitDir, 'update-ref', `refs/pull-requests/${issue.number}/from`, fromRef.sha]);
  refs.invalidate(repo.gitDir);
  return pullJson(request, repo, issue, 201);
}

/** Every comment of a pull request, replies included. */
function pullCommentsOf(repo: SimRepository, pull: IssueRecord): Array<IssueCommentRecord | ReviewCommentRecord> {
  return [...repo.metadata.issueComments.filter((c) => c.issueNumber === pull.number), ...repo.metadata.reviewComments.filter((c) => c.pullNumber === pull.number)];
}

function pullOf(request: DcRequest, repo: SimRepository): IssueRecord | undefined {
  return pullRequestsOf(repo).find((p) => String(p.number) === request.params.pullRequestId);
}

function noPull(request: DcRequest, repo: SimRepository): DcResult {
  return error(404, `Pull request ${request.params.pullRequestId} does not exist in ${repo.owner.login}/${repo.name}.`, EXCEPTIONS.noPull);
}

/** `POST …/decline?version=N`: only an open pull request, at the version the caller saw (always 0 here). */
async function declinePullRequest(request: DcRequest, repo: SimRepository, body: Body): Promise<DcResult> {
  const pull = pullOf(request, repo);
  if (!pull) return noPull(request, repo);
  const version = request.url.searchParams.get('version') ?? (body['version'] === undefined ? null : String(body['version']));
  if (version !== null && version !== '0') return error(409, `You are attempting to modify a pull request based on out-of-date information (version ${version}, current 0).`, EXCEPTIONS.pullVersion);
  if (pull.state !== 'open') return error(409, 'The pull request is not open.', EXCEPTIONS.pullState);
  const at = writeInstant(request.dc.clock);
  pull.state = 'closed';
  pull.closedAt = at;
  pull.updatedAt = at;
  return pullJson(request, repo, pull, 200);
}

/** `PUT …/pull-requests/{id}`: title and description of an open pull request, at the version the caller saw (always 0 here). */
async function updatePullRequest(request: DcRequest, repo: SimRepository, body: Body): Promise<DcResult> {
  const pull = pullOf(request, repo);
  if (!pull) return noPull(request, repo);
  const version = body['version'];
  if (version !== undefined && version !== 0) return error(409, `You are attempting to modify a pull request based on out-of-date information (version ${String(version)}, current 0).`, EXCEPTIONS.pullVersion);
  if (pull.state !== 'open') return error(409, 'Only open pull requests can be updated.', EXCEPTIONS.pullState);
  const title = text(body, 'title');
  if (title !== undefined) {
    if (title.trim() === '') return error(400, 'A title is required.', EXCEPTIONS.validation);
    pull.title = title;
  }
  const description = text(body, 'description');
  if (description !== undefined) pull.body = description;
  pull.updatedAt = writeInstant(request.dc.clock);
  return pullJson(request, repo, pull, 200);
}

/** `POST …/comments`: a general comment, a line comment with an `anchor` (`path`, `line`), or a reply (`parent.id`). */
function createComment(request: DcRequest, repo: SimRepository, body: Body): DcResult {
  const pull = pullOf(request, repo);
  if (!pull) return noPull(request, repo);
  const content = text(body, 'text');
  if (!content || content.trim() === '') return error(400, 'Comment text is required.', EXCEPTIONS.validation);
  const parentId = object(body, 'parent')?.['id'];
  const parent = parentId === undefined ? undefined : pullCommentsOf(repo, pull).find((c) => c.id === parentId);
  if (parentId !== undefined && !parent) return error(404, `Comment ${String(parentId)} does not exist on this pull request.`, 'com.atlassian.bitbucket.comment.NoSuchCommentException');
  const at = writeInstant(request.dc.clock);
  const ids = request.dc.host.world.ids;
  const anchor = parent ? undefined : object(body, 'anchor');
  let comment: IssueCommentRecord | ReviewCommentRecord;
  if (anchor) {
    const path = text(anchor, 'path');
    const line = Number(anchor['line']);
    if (!path) return error(400, 'A file comment needs a path.', EXCEPTIONS.validation);
    comment = { id: ids.allocate('reviewComment'), pullNumber: pull.number, reviewId: 0, authorId: authorOf(request), body: content, path, line: Number.isInteger(line) && line > 0 ? line : 1, createdAt: at, updatedAt: at };
    repo.metadata.reviewComments.push(comment);
  } else {
    const created: IssueCommentRecord = { id: ids.allocate('issueComment'), issueNumber: pull.number, authorId: authorOf(request), body: content, createdAt: at, updatedAt: at };
    if (parent) setReplyParent(created, parent.id);
    repo.metadata.issueComments.push(created);
    comment = created;
  }
  pull.updatedAt = at;
  return { kind: 'json', status: 201, body: ser.comment(request.ser, repo, comment) };
}

/**
 * The writes a restore needs, on the paths Data Center's description names: repositories, their
 * default branch, pull requests (and declining them) and their comments; `GET` of one pull request
 * and of the default branch come with them.
 */
export function registerDcWriteRoutes(router: HttpRouter<DcRoute>): void {
  router.add('POST', `${PROJECT}/repos`, createRepository);
  repoWrite(router, 'PUT', '/default-branch', ADMIN, setDefaultBranch);
  repoWrite(router, 'POST', '/pull-requests', READ, createPullRequest);
  repoWrite(router, 'PUT', '/pull-requests/{pullRequestId}', READ, updatePullRequest);
  repoWrite(router, 'POST', '/pull-requests/{pullRequestId}/decline', READ, declinePullRequest);
  repoWrite(router, 'POST', '/pull-requests/{pullRequestId}/comments', READ, createComment);
  router.add('GET', `${REPO}/pull-requests/{pullRequestId}`, async (request) => {
    const repo = request.dc.host.world.repository(request.params.projectKey, request.params.repositorySlug);
    if (!repo || request.dc.directory.repositoryLevel(request.viewer.credential, repo) < READ) {
      return error(404, `Repository ${request.params.projectKey}/${request.params.repositorySlug} does not exist.`, EXCEPTIONS.noRepo);
    }
    const pull = pullOf(request, repo);
    return pull ? pullJson(request, repo, pull, 200) : noPull(request, repo);
  });
  router.add('GET', `${REPO}/default-branch`, async (request) => {
    const repo = request.dc.host.world.repository(request.params.projectKey, request.params.repositorySlug);
    if (!repo || request.dc.directory.repositoryLevel(request.viewer.credential, repo) < READ) {
      return error(404, `Repository ${request.params.projectKey}/${request.params.repositorySlug} does not exist.`, EXCEPTIONS.noRepo);
    }
    const tip = await request.dc.host.refs.ref(repo.gitDir, `refs/heads/${repo.defaultBranch}`);
    if (!tip) return error(404, `${repo.owner.login}/${repo.name} has no default branch yet.`, 'com.atlassian.bitbucket.repository.NoDefaultBranchException');
    return { kind: 'json', status: 200, body: { id: `refs/heads/${repo.defaultBranch}`, displayId: repo.defaultBranch, type: 'BRANCH', latestCommit: tip.sha, latestChangeset: tip.sha, isDefault: true } };
  });
}
