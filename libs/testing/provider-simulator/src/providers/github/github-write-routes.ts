import { createEmptyRepository, createWikiRepository } from '../../core/world/empty-repository';
import type { HttpRouter } from '../../core/http-router';
import { isoFromMs } from '../../core/seeding/timestamps';
import type { IssueRecord, LabelRecord, ReleaseRecord, SimRepository } from '../../core/world/world-model';
import { canWrite, hasScope } from './github-access';
import { errorBody } from './github-responses';
import { notFound, permissionsOf, visibleRepository } from './github-route-helpers';
import { json, type RestContext, type RestResult, type RestRoute } from './github-rest-types';
import * as ser from './serializers';

/**
 * GitHub's write endpoints a restore uses: repositories (organization and user), default branch,
 * labels, milestones, issues and their comments, pull requests, releases and release asset uploads.
 * Paths, status codes and error bodies follow GitHub's REST API; every write needs push access
 * except opening issues and commenting, which (as on GitHub) any reader may do.
 */
export function registerWriteRoutes(router: HttpRouter<RestRoute>): void {
  const write = (method: string, template: string, handler: (ctx: RestContext) => Promise<RestResult> | RestResult, creates = true): void => {
    router.add(method, template, { resource: 'core', acceptedScopes: 'repo', creates, handler: async (ctx) => handler(ctx) });
  };

  write('POST', '/orgs/{org}/repos', (ctx) => createRepository(ctx, ctx.params.org, 'organization'));
  write('POST', '/user/repos', (ctx) => (ctx.viewer.kind === 'user' ? createRepository(ctx, ctx.viewer.user.login, 'user') : requiresAuthentication()));
  write('PATCH', '/repos/{owner}/{repo}', (ctx) => withPush(ctx, (repo) => updateRepository(ctx, repo)), false);

  write('POST', '/repos/{owner}/{repo}/labels', (ctx) => withPush(ctx, (repo) => createLabel(ctx, repo)));
  router.add('GET', '/repos/{owner}/{repo}/labels/{name}', {
    resource: 'core',
    acceptedScopes: 'repo',
    handler: async (ctx) => {
      const repo = visibleRepository(ctx);
      const found = repo?.metadata.labels.find((l) => l.name.toLowerCase() === ctx.params.name.toLowerCase());
      return repo && found ? json(ser.label(ctx.ser, repo, found)) : notFound();
    },
  });
  write('PATCH', '/repos/{owner}/{repo}/labels/{name}', (ctx) => withPush(ctx, (repo) => updateLabel(ctx, repo)), false);
  write('DELETE', '/repos/{owner}/{repo}/labels/{name}', (ctx) => withPush(ctx, (repo) => deleteLabel(ctx, repo)), false);

  write('POST', '/repos/{owner}/{repo}/milestones', (ctx) => withPush(ctx, (repo) => createMilestone(ctx, repo)));

  write('POST', '/repos/{owner}/{repo}/issues', (ctx) => withRead(ctx, (repo) => createIssue(ctx, repo)));
  write('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}', (ctx) => withPush(ctx, (repo) => updateIssue(ctx, repo)), false);
  write('POST', '/repos/{owner}/{repo}/issues/{issue_number}/comments', (ctx) => withRead(ctx, (repo) => createComment(ctx, repo)));

  write('POST', '/repos/{owner}/{repo}/pulls', (ctx) => withPush(ctx, (repo) => createPull(ctx, repo)));
  write('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', (ctx) => withPush(ctx, (repo) => updatePull(ctx, repo)), false);

  write('POST', '/repos/{owner}/{repo}/releases', (ctx) => withPush(ctx, (repo) => createRelease(ctx, repo)));
  // served on the uploads host (see UPLOADS_PREFIXES); GitHub documents it under this path
  write('POST', '/repos/{owner}/{repo}/releases/{release_id}/assets', (ctx) => withPush(ctx, (repo) => uploadAsset(ctx, repo)));
}

// ---------------------------------------------------------------------------------------------------
// access and validation answers

function requiresAuthentication(): RestResult {
  return json(errorBody(401, 'Requires authentication'), 401);
}

function forbidden(message: string): RestResult {
  return json(errorBody(403, message), 403);
}

/** GitHub's 422 `Validation Failed` with one error. */
function invalid(resource: string, field: string, code: string, message?: string): RestResult {
  const error: Record<string, string> = { resource, field, code };
  if (message) error.message = message;
  return json({ ...errorBody(422, 'Validation Failed'), errors: [error] }, 422);
}

function unprocessable(message: string): RestResult {
  return json(errorBody(422, message), 422);
}

function withRead(ctx: RestContext, handler: (repo: SimRepository) => Promise<RestResult> | RestResult): Promise<RestResult> | RestResult {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const repo = visibleRepository(ctx);
  return repo ? handler(repo) : notFound();
}

function withPush(ctx: RestContext, handler: (repo: SimRepository) => Promise<RestResult> | RestResult): Promise<RestResult> | RestResult {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const repo = visibleRepository(ctx);
  if (!repo) return notFound();
  if (!canWrite(ctx.world, ctx.viewer, repo)) return forbidden('Must have push access to repository');
  return handler(repo);
}

type Body = Record<string, unknown>;

function jsonBody(ctx: RestContext): Body | null {
  if (ctx.body.length === 0) return {};
  try {
    const parsed = JSON.parse(ctx.body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Body) : null;
  } catch {
    return null;
  }
}

const problemsParsingJson = (): RestResult => json(errorBody(400, 'Problems parsing JSON'), 400);

function text(body: Body, field: string): string | undefined {
  const value = body[field];
  return typeof value === 'string' ? value : undefined;
}

function now(ctx: RestContext): string {
  return isoFromMs(ctx.nowMs());
}

function created(body: unknown, location: string): RestResult {
  return { kind: 'json', status: 201, body, headers: { location } };
}

// ---------------------------------------------------------------------------------------------------
// repositories

/** GitHub's default labels of a new repository. */
const DEFAULT_LABELS: Array<[string, string, string]> = [
  ['bug', 'd73a4a', "Something isn't working"],
  ['documentation', '0075ca', 'Improvements or additions to documentation'],
  ['duplicate', 'cfd3d7', 'This issue or pull request already exists'],
  ['enhancement', 'a2eeef', 'New feature or request'],
  ['good first issue', '7057ff', 'Good for newcomers'],
  ['help wanted', '008672', 'Extra attention is needed'],
  ['invalid', 'e4e669', "This doesn't seem right"],
  ['question', 'd876e3', 'Further information is requested'],
  ['wontfix', 'ffffff', 'This will not be worked on'],
];

const REPOSITORY_NAME = /^[A-Za-z0-9._-]{1,100}$/;

async function createRepository(ctx: RestContext, ownerLogin: string, kind: 'organization' | 'user'): Promise<RestResult> {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const viewer = ctx.viewer;
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const name = text(body, 'name');
  if (!name) return invalid('Repository', 'name', 'missing_field');
  if (!REPOSITORY_NAME.test(name) || name === '.' || name === '..') return invalid('Repository', 'name', 'custom', 'name is invalid');
  const isPrivate = body.private === true || body.visibility === 'private' || body.visibility === 'internal';
  if (kind === 'organization') {
    const org = ctx.world.organization(ownerLogin);
    // a non-member learns nothing about the organization
    if (!org || !org.members.has(viewer.user.id)) return notFound();
    if (org.members.get(viewer.user.id) !== 'admin' && org.memberPermission !== 'write') {
      return forbidden('You need admin access to the organization before adding a repository to it.');
    }
  }
  const credential = viewer.credential;
  const allowed = credential.kind === 'classic'
    ? hasScope(credential, 'repo') || (!isPrivate && hasScope(credential, 'public_repo'))
    : credential.permission === 'write' && (kind === 'user' || credential.organizations.includes(ownerLogin.toLowerCase()));
  if (!allowed) return forbidden('Resource not accessible by personal access token');
  const owner = kind === 'organization' ? ctx.world.organization(ownerLogin) : ctx.world.user(ownerLogin);
  if (!owner) return notFound();
  if (ctx.world.repository(owner.login, name)) {
    return invalid('Repository', 'name', 'custom', 'name already exists on this account');
  }
  const repo = await createEmptyRepository(ctx.world, ctx.storage, owner.login, {
    name,
    private: isPrivate,
    description: text(body, 'description') ?? '',
    defaultBranch: 'main',
    // GitHub manages pull request refs itself and refuses pushes to them
    readOnlyRefPrefixes: ['refs/pull/'],
  }, ctx.nowMs());
  // GitHub creates a wiki repository only with a first page; the simulator accepts a first push
  if (body.has_wiki !== false) await createWikiRepository(ctx.storage, repo, 'master');
  repo.metadata.labels = DEFAULT_LABELS.map(([labelName, color, description]) => ({ id: ctx.world.ids.allocate('label'), name: labelName, color, description, isDefault: true }));
  return created(ser.repository(ctx.ser, repo, permissionsOf(ctx, repo), true), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}`);
}

async function updateRepository(ctx: RestContext, repo: SimRepository): Promise<RestResult> {
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const branch = text(body, 'default_branch');
  if (branch !== undefined) {
    ctx.refs.invalidate(repo.gitDir);
    const exists = await ctx.refs.ref(repo.gitDir, `refs/heads/${branch}`);
    // GitHub accepts any name for a repository without commits; otherwise the branch must exist
    const empty = (await ctx.refs.refs(repo.gitDir)).length === 0;
    if (!exists && !empty) return invalid('Repository', 'default_branch', 'invalid', `The branch ${branch} was not found. Please push that ref first or create it via the Git Data API.`);
    repo.defaultBranch = branch;
    await ctx.storage.git.run(['--git-dir', repo.gitDir, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }
  const description = text(body, 'description');
  if (description !== undefined) repo.description = description;
  if (typeof body.private === 'boolean') repo.private = body.private;
  repo.updatedAt = now(ctx);
  return json(ser.repository(ctx.ser, repo, permissionsOf(ctx, repo), true));
}

// ---------------------------------------------------------------------------------------------------
// labels and milestones

const COLOR = /^[0-9a-fA-F]{6}$/;

function findLabel(repo: SimRepository, name: string): LabelRecord | undefined {
  return repo.metadata.labels.find((l) => l.name.toLowerCase() === name.toLowerCase());
}

function createLabel(ctx: RestContext, repo: SimRepository): RestResult {
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const name = text(body, 'name');
  if (!name) return invalid('Label', 'name', 'missing_field');
  const color = (text(body, 'color') ?? 'ededed').replace(/^#/, '');
  if (!COLOR.test(color)) return invalid('Label', 'color', 'invalid');
  if (findLabel(repo, name)) return invalid('Label', 'name', 'already_exists');
  const label: LabelRecord = { id: ctx.world.ids.allocate('label'), name, color: color.toLowerCase(), description: text(body, 'description') ?? '', isDefault: false };
  repo.metadata.labels.push(label);
  return created(ser.label(ctx.ser, repo, label), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/labels/${encodeURIComponent(name)}`);
}

function updateLabel(ctx: RestContext, repo: SimRepository): RestResult {
  const label = findLabel(repo, ctx.params.name);
  if (!label) return notFound();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const newName = text(body, 'new_name');
  if (newName !== undefined && newName.toLowerCase() !== label.name.toLowerCase() && findLabel(repo, newName)) return invalid('Label', 'name', 'already_exists');
  const color = text(body, 'color')?.replace(/^#/, '');
  if (color !== undefined && !COLOR.test(color)) return invalid('Label', 'color', 'invalid');
  if (newName !== undefined) {
    for (const issue of repo.metadata.issues) issue.labelNames = issue.labelNames.map((n) => (n === label.name ? newName : n));
    label.name = newName;
  }
  if (color !== undefined) label.color = color.toLowerCase();
  const description = text(body, 'description');
  if (description !== undefined) label.description = description;
  return json(ser.label(ctx.ser, repo, label));
}

function deleteLabel(ctx: RestContext, repo: SimRepository): RestResult {
  const label = findLabel(repo, ctx.params.name);
  if (!label) return notFound();
  repo.metadata.labels = repo.metadata.labels.filter((l) => l !== label);
  for (const issue of repo.metadata.issues) issue.labelNames = issue.labelNames.filter((n) => n !== label.name);
  return { kind: 'empty', status: 204 };
}

function createMilestone(ctx: RestContext, repo: SimRepository): RestResult {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const title = text(body, 'title');
  if (!title) return invalid('Milestone', 'title', 'missing_field');
  if (repo.metadata.milestones.some((m) => m.title === title)) return invalid('Milestone', 'title', 'already_exists');
  const state = text(body, 'state') ?? 'open';
  if (state !== 'open' && state !== 'closed') return invalid('Milestone', 'state', 'invalid');
  const dueOn = text(body, 'due_on');
  if (dueOn !== undefined && Number.isNaN(Date.parse(dueOn))) return invalid('Milestone', 'due_on', 'invalid');
  const at = now(ctx);
  const milestone = {
    id: ctx.world.ids.allocate('milestone'),
    number: Math.max(0, ...repo.metadata.milestones.map((m) => m.number)) + 1,
    title,
    description: text(body, 'description') ?? '',
    state: state as 'open' | 'closed',
    creatorId: ctx.viewer.user.id,
    createdAt: at,
    updatedAt: at,
    closedAt: state === 'closed' ? at : null,
    dueOn: dueOn === undefined ? null : new Date(Date.parse(dueOn)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  repo.metadata.milestones.push(milestone);
  return created(ser.milestone(ctx.ser, repo, milestone), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/milestones/${milestone.number}`);
}

// ---------------------------------------------------------------------------------------------------
// issues, comments and pull requests

/** Issues and pull requests share one numbering. */
function nextNumber(repo: SimRepository): number {
  return Math.max(0, ...repo.metadata.issues.map((i) => i.number)) + 1;
}

/** Labels and milestone of an issue written by someone with push access (GitHub silently drops them for others). */
function triage(ctx: RestContext, repo: SimRepository, body: Body, issue: IssueRecord): RestResult | null {
  if (ctx.viewer.kind !== 'user' || !canWrite(ctx.world, ctx.viewer, repo)) return null;
  if (body.labels !== undefined) {
    if (!Array.isArray(body.labels)) return invalid('Issue', 'labels', 'invalid');
    const names = body.labels.map((l: unknown) => (typeof l === 'string' ? l : typeof l === 'object' && l !== null ? (l as Body).name : undefined));
    if (names.some((n) => typeof n !== 'string' || n === '')) return invalid('Issue', 'labels', 'invalid');
    issue.labelNames = [];
    for (const name of names as string[]) {
      // GitHub creates a label that does not exist yet
      let label = findLabel(repo, name);
      if (!label) {
        label = { id: ctx.world.ids.allocate('label'), name, color: 'ededed', description: '', isDefault: false };
        repo.metadata.labels.push(label);
      }
      if (!issue.labelNames.includes(label.name)) issue.labelNames.push(label.name);
    }
  }
  if (body.milestone !== undefined) {
    if (body.milestone === null) issue.milestoneNumber = null;
    else {
      const number = Number(body.milestone);
      if (!repo.metadata.milestones.some((m) => m.number === number)) return invalid('Issue', 'milestone', 'invalid');
      issue.milestoneNumber = number;
    }
  }
  return null;
}

function applyState(ctx: RestContext, body: Body, issue: IssueRecord, resource: string): RestResult | null {
  const state = text(body, 'state');
  if (state === undefined) return null;
  if (state !== 'open' && state !== 'closed') return invalid(resource, 'state', 'invalid');
  if (state !== issue.state) {
    issue.state = state;
    issue.closedAt = state === 'closed' ? now(ctx) : null;
  }
  return null;
}

function createIssue(ctx: RestContext, repo: SimRepository): RestResult {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const title = body.title === undefined ? undefined : String(body.title);
  if (!title) return invalid('Issue', 'title', 'missing_field');
  const at = now(ctx);
  const issue: IssueRecord = {
    id: ctx.world.ids.allocate('issue'),
    number: nextNumber(repo),
    title,
    body: text(body, 'body') ?? '',
    state: 'open',
    authorId: ctx.viewer.user.id,
    assigneeIds: [],
    labelNames: [],
    milestoneNumber: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    pull: null,
  };
  const refused = triage(ctx, repo, body, issue);
  if (refused) return refused;
  repo.metadata.issues.push(issue);
  return created(ser.issue(ctx.ser, repo, issue), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/issues/${issue.number}`);
}

function updateIssue(ctx: RestContext, repo: SimRepository): RestResult {
  const issue = repo.metadata.issues.find((i) => String(i.number) === ctx.params.issue_number);
  if (!issue) return notFound();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  if (body.title !== undefined) {
    if (typeof body.title !== 'string' || body.title === '') return invalid('Issue', 'title', 'invalid');
    issue.title = body.title;
  }
  const newBody = text(body, 'body');
  if (newBody !== undefined) issue.body = newBody;
  const refused = triage(ctx, repo, body, issue) ?? applyState(ctx, body, issue, 'Issue');
  if (refused) return refused;
  issue.updatedAt = now(ctx);
  return json(ser.issue(ctx.ser, repo, issue));
}

function createComment(ctx: RestContext, repo: SimRepository): RestResult {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const issue = repo.metadata.issues.find((i) => String(i.number) === ctx.params.issue_number);
  if (!issue) return notFound();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const commentBody = text(body, 'body');
  if (!commentBody) return invalid('IssueComment', 'body', 'missing_field');
  const at = now(ctx);
  const comment = { id: ctx.world.ids.allocate('issueComment'), issueNumber: issue.number, authorId: ctx.viewer.user.id, body: commentBody, createdAt: at, updatedAt: at };
  repo.metadata.issueComments.push(comment);
  issue.updatedAt = at;
  return created(ser.issueComment(ctx.ser, repo, comment), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/issues/comments/${comment.id}`);
}

async function createPull(ctx: RestContext, repo: SimRepository): Promise<RestResult> {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const title = text(body, 'title');
  const headInput = text(body, 'head');
  const base = text(body, 'base');
  if (!title) return invalid('PullRequest', 'title', 'missing_field');
  if (!headInput) return invalid('PullRequest', 'head', 'missing_field');
  if (!base) return invalid('PullRequest', 'base', 'missing_field');
  // `owner:branch` names a branch of this repository when owner is its owner (forks are not simulated)
  const colon = headInput.indexOf(':');
  if (colon >= 0 && headInput.slice(0, colon).toLowerCase() !== repo.owner.login.toLowerCase()) return invalid('PullRequest', 'head', 'invalid');
  const head = colon >= 0 ? headInput.slice(colon + 1) : headInput;
  ctx.refs.invalidate(repo.gitDir);
  const headRef = await ctx.refs.ref(repo.gitDir, `refs/heads/${head}`);
  const baseRef = await ctx.refs.ref(repo.gitDir, `refs/heads/${base}`);
  if (!headRef) return invalid('PullRequest', 'head', 'invalid');
  if (!baseRef) return invalid('PullRequest', 'base', 'invalid');
  const open = repo.metadata.issues.find((i) => i.state === 'open' && i.pull?.headRef === head && i.pull.baseRef === base);
  if (open) return invalid('PullRequest', 'head', 'custom', `A pull request already exists for ${repo.owner.login}:${head}.`);
  const ahead = (await ctx.storage.git.run(['--git-dir', repo.gitDir, 'rev-list', '--count', `${baseRef.sha}..${headRef.sha}`])).toString('utf8').trim();
  if (ahead === '0') return unprocessable(`No commits between ${base} and ${head}`);
  const at = now(ctx);
  const issue: IssueRecord = {
    id: ctx.world.ids.allocate('issue'),
    number: nextNumber(repo),
    title,
    body: text(body, 'body') ?? '',
    state: 'open',
    authorId: ctx.viewer.user.id,
    assigneeIds: [],
    labelNames: [],
    milestoneNumber: null,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    pull: { id: ctx.world.ids.allocate('pull'), headRef: head, baseRef: base, merged: false, mergedAt: null, draft: body.draft === true },
  };
  repo.metadata.issues.push(issue);
  // GitHub publishes every pull request's head as refs/pull/N/head
  await ctx.storage.git.run(['--git-dir', repo.gitDir, 'update-ref', `refs/pull/${issue.number}/head`, headRef.sha]);
  ctx.refs.invalidate(repo.gitDir);
  const shas = { head: headRef.sha, base: baseRef.sha };
  return created(ser.pullRequest(ctx.ser, repo, issue, shas), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/pulls/${issue.number}`);
}

async function updatePull(ctx: RestContext, repo: SimRepository): Promise<RestResult> {
  const issue = repo.metadata.issues.find((i) => i.pull !== null && String(i.number) === ctx.params.pull_number);
  if (!issue?.pull) return notFound();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const title = text(body, 'title');
  if (title !== undefined) issue.title = title;
  const newBody = text(body, 'body');
  if (newBody !== undefined) issue.body = newBody;
  if (issue.pull.merged && text(body, 'state') === 'open') return unprocessable('Cannot reopen a merged pull request');
  const refused = applyState(ctx, body, issue, 'PullRequest');
  if (refused) return refused;
  issue.updatedAt = now(ctx);
  const head = await ctx.refs.ref(repo.gitDir, `refs/pull/${issue.number}/head`);
  const base = await ctx.refs.ref(repo.gitDir, `refs/heads/${issue.pull.baseRef}`);
  return json(ser.pullRequest(ctx.ser, repo, issue, { head: head?.sha ?? null, base: base?.sha ?? null }));
}

// ---------------------------------------------------------------------------------------------------
// releases and assets

async function createRelease(ctx: RestContext, repo: SimRepository): Promise<RestResult> {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const body = jsonBody(ctx);
  if (!body) return problemsParsingJson();
  const tagName = text(body, 'tag_name');
  if (!tagName) return invalid('Release', 'tag_name', 'missing_field');
  const draft = body.draft === true;
  if (!draft && repo.metadata.releases.some((r) => r.tagName === tagName && !r.draft)) return invalid('Release', 'tag_name', 'already_exists');
  const target = text(body, 'target_commitish') ?? repo.defaultBranch;
  ctx.refs.invalidate(repo.gitDir);
  const tag = await ctx.refs.ref(repo.gitDir, `refs/tags/${tagName}`);
  if (!tag && !draft) {
    // GitHub creates a missing tag from target_commitish (a branch or a commit)
    const branch = await ctx.refs.ref(repo.gitDir, `refs/heads/${target}`);
    const sha = branch?.sha ?? (/^[0-9a-f]{40}$/.test(target) ? target : undefined);
    if (!sha) return invalid('Release', 'target_commitish', 'invalid');
    try {
      await ctx.storage.git.run(['--git-dir', repo.gitDir, 'update-ref', `refs/tags/${tagName}`, sha]);
    } catch {
      return invalid('Release', 'target_commitish', 'invalid');
    }
    ctx.refs.invalidate(repo.gitDir);
  }
  const at = now(ctx);
  const release: ReleaseRecord = {
    id: ctx.world.ids.allocate('release'),
    tagName,
    targetCommitish: target,
    name: text(body, 'name') ?? tagName,
    body: text(body, 'body') ?? '',
    draft,
    prerelease: body.prerelease === true,
    authorId: ctx.viewer.user.id,
    createdAt: at,
    publishedAt: at,
    assets: [],
  };
  repo.metadata.releases.push(release);
  return created(ser.release(ctx.ser, repo, release), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/releases/${release.id}`);
}

function uploadAsset(ctx: RestContext, repo: SimRepository): RestResult {
  if (ctx.viewer.kind !== 'user') return requiresAuthentication();
  const release = repo.metadata.releases.find((r) => String(r.id) === ctx.params.release_id);
  if (!release) return notFound();
  const name = ctx.url.searchParams.get('name');
  if (!name) return invalid('ReleaseAsset', 'name', 'missing_field');
  const contentType = String(ctx.headers['content-type'] ?? '');
  if (contentType === '') return invalid('ReleaseAsset', 'content_type', 'missing_field');
  if (release.assets.some((a) => a.name === name)) return invalid('ReleaseAsset', 'name', 'already_exists');
  const asset = { id: ctx.world.ids.allocate('releaseAsset'), name, contentType, content: Buffer.from(ctx.body), uploaderId: ctx.viewer.user.id, createdAt: now(ctx) };
  release.assets.push(asset);
  return created(ser.releaseAsset(ctx.ser, repo, release, asset), `${ctx.ser.api}/repos/${repo.owner.login}/${repo.name}/releases/assets/${asset.id}`);
}
