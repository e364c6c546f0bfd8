import type { HttpRouter } from '../../core/http-router';
import { createEmptyRepository } from '../../core/world/empty-repository';
import type { LabelRecord, MilestoneRecord } from '../../core/world/world-model';
import type { GitlabProject } from './gitlab-model';
import { GITLAB_API_PREFIX, forbidden, json, notFound, type GitlabRoute, type GitlabRouteContext } from './gitlab-rest-types';
import { VISIBILITY_RANK, type GitlabVisibility } from './gitlab-seed';
import * as ser from './gitlab-serializers';
import { registerGitlabIssueWriteRoutes } from './gitlab-issue-write-routes';
import { registerGitlabReleaseWriteRoutes } from './gitlab-release-write-routes';
import { now, paramError, projectWrite, ROLE, viewerId, withParams } from './gitlab-write-support';
import type { GitlabWriteParams } from './gitlab-write-params';

/** The ref prefix GitLab keeps to itself: pushes to it are refused ("deny updating a hidden ref"). */
export const GITLAB_READ_ONLY_REFS = ['refs/merge-requests/'] as const;

/** The branch a new project's HEAD names before anything is pushed (GitLab's instance default). */
const NEW_PROJECT_DEFAULT_BRANCH = 'main';
const PATH_PATTERN = /^[a-zA-Z0-9_][a-zA-Z0-9_.-]*$/;

function accessLevelEnabled(params: GitlabWriteParams, accessLevel: string, legacy: string, fallback: boolean): boolean {
  const level = params.optionalString(accessLevel);
  if (level !== undefined) {
    if (!['disabled', 'private', 'enabled', 'public'].includes(level)) throw new Error(`${accessLevel} does not have a valid value`);
    return level !== 'disabled';
  }
  return params.optionalBoolean(legacy) ?? fallback;
}

/** `POST /projects`: an empty project in a group the caller may create projects in (Developer and up). */
async function createProject(ctx: GitlabRouteContext, params: GitlabWriteParams) {
  const name = params.optionalString('name')?.trim();
  const requestedPath = params.optionalString('path')?.trim();
  if (!name && !requestedPath) return paramError('name, path are missing, at least one parameter must be provided');
  const path = requestedPath || (name ?? '').toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '');
  if (!PATH_PATTERN.test(path) || /\.(git|atom)$/.test(path)) {
    return json({ message: { path: ['can contain only letters, digits, \'_\', \'-\' and \'.\'. Cannot start with \'-\', end in \'.git\' or end in \'.atom\''] } }, 400);
  }
  const namespace = params.optionalString('namespace_id');
  // The simulator has no personal namespaces: projects live in groups.
  if (namespace === undefined) return paramError('namespace_id is missing (the simulator keeps projects in groups only)');
  const group = ctx.gl.findGroup(namespace);
  if (!group || !ctx.access.canSeeGroup(ctx.viewer, group)) return json({ message: '404 Namespace Not Found' }, 404);
  if (ctx.access.groupLevel(ctx.viewer, group) < ROLE.developer) return forbidden();
  if (params.optionalBoolean('initialize_with_readme')) return paramError('initialize_with_readme is not supported by the simulator: restores create empty projects');
  const visibility = (params.optionalString('visibility') ?? 'private') as GitlabVisibility;
  if (!(visibility in VISIBILITY_RANK)) return paramError('visibility does not have a valid value');
  if (VISIBILITY_RANK[visibility] > VISIBILITY_RANK[group.visibility]) {
    return json({ message: { visibility_level: [`${visibility} is not allowed since this project's namespace is ${group.visibility}`] } }, 400);
  }
  if (ctx.gl.world.repository(group.fullPath, path)) return json({ message: { name: ['has already been taken'], path: ['has already been taken'] } }, 400);
  let wikiEnabled: boolean;
  try {
    wikiEnabled = accessLevelEnabled(params, 'wiki_access_level', 'wiki_enabled', true);
  } catch (error) {
    return paramError((error as Error).message);
  }
  const { provider } = ctx;
  const repo = await createEmptyRepository(
    ctx.gl.world,
    { reposRoot: provider.reposRoot, git: provider.git, refs: provider.refs },
    group.fullPath,
    { name: path, private: visibility !== 'public', description: params.optionalString('description') ?? '', defaultBranch: NEW_PROJECT_DEFAULT_BRANCH, readOnlyRefPrefixes: GITLAB_READ_ONLY_REFS },
    ctx.clock.now(),
  );
  const members = new Map<number, number>();
  // A developer who creates a project in a group becomes its maintainer.
  if (ctx.access.groupLevel(ctx.viewer, group) < ROLE.maintainer) members.set(viewerId(ctx), ROLE.maintainer);
  const project: GitlabProject = { id: repo.id, repo, group, visibility, members, uploadSecrets: new Map(), uploads: new Map(), links: new Map(), wikiEnabled };
  ctx.gl.addProject(project);
  return json(ser.project(ctx.ser, project), 201);
}

/** `PUT /projects/:id`: description, visibility, and the default branch (which must exist). */
async function editProject(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams) {
  const branch = params.optionalString('default_branch');
  if (branch !== undefined) {
    const ref = await ctx.refs.ref(project.repo.gitDir, `refs/heads/${branch}`);
    if (!ref) return json({ message: { base: [`Could not change HEAD: branch '${branch}' does not exist`] } }, 400);
    await ctx.provider.git.run(['--git-dir', project.repo.gitDir, 'symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
    project.repo.defaultBranch = branch;
  }
  const description = params.optionalString('description');
  if (description !== undefined) project.repo.description = description;
  const visibility = params.optionalString('visibility') as GitlabVisibility | undefined;
  if (visibility !== undefined) {
    if (!(visibility in VISIBILITY_RANK)) return paramError('visibility does not have a valid value');
    project.visibility = visibility;
    project.repo.private = visibility !== 'public';
  }
  project.repo.updatedAt = now(ctx);
  return json(ser.project(ctx.ser, project));
}

const COLOR = /^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/;

function createLabel(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams) {
  const name = params.string('name').trim();
  const color = params.string('color').trim();
  if (!COLOR.test(color)) return json({ message: { color: ['must be a valid color code'] } }, 400);
  if (project.repo.metadata.labels.some((l) => l.name === name)) return json({ message: 'Label already exists' }, 409);
  const label: LabelRecord = { id: ctx.gl.world.ids.allocate('label'), name, color: color.replace(/^#/, '').toLowerCase(), description: params.optionalString('description') ?? '', isDefault: false };
  project.repo.metadata.labels.push(label);
  return json(ser.label(label, null, true), 201);
}

function createMilestone(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams) {
  const title = params.string('title').trim();
  if (project.repo.metadata.milestones.some((m) => m.title === title)) return json({ message: 'Failed to create milestone! {:title=>["has already been taken"]}' }, 400);
  const at = now(ctx);
  const milestone: MilestoneRecord = {
    id: ctx.gl.world.ids.allocate('milestone'),
    number: project.repo.metadata.milestones.reduce((max, m) => Math.max(max, m.number), 0) + 1,
    title,
    description: params.optionalString('description') ?? '',
    state: 'open',
    creatorId: viewerId(ctx),
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    dueOn: params.optionalTime('due_date') ?? null,
  };
  project.repo.metadata.milestones.push(milestone);
  return json(ser.projectMilestone(ctx.ser, project, milestone), 201);
}

function editMilestone(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams) {
  const id = Number(ctx.params.milestone_id);
  const milestone = project.repo.metadata.milestones.find((m) => m.id === id);
  if (!milestone) return notFound('Milestone');
  const title = params.optionalString('title');
  if (title !== undefined) milestone.title = title;
  const description = params.optionalString('description');
  if (description !== undefined) milestone.description = description;
  if (params.has('due_date')) milestone.dueOn = params.optionalTime('due_date') ?? null;
  const event = params.optionalString('state_event');
  if (event === 'close') {
    milestone.state = 'closed';
    milestone.closedAt = now(ctx);
  } else if (event === 'activate') {
    milestone.state = 'open';
    milestone.closedAt = null;
  } else if (event !== undefined) {
    return paramError('state_event does not have a valid value');
  }
  milestone.updatedAt = now(ctx);
  return json(ser.projectMilestone(ctx.ser, project, milestone));
}

/**
 * The writes a restore needs, with GitLab's paths, parameters, permissions and answers: projects,
 * labels, milestones here; issues, merge requests, notes and diff discussions, releases, release
 * links and uploads in their own modules. Every one needs a token with the `api` scope.
 */
export function registerGitlabWriteRoutes(router: HttpRouter<GitlabRoute>): void {
  router.add('POST', `${GITLAB_API_PREFIX}/projects`, {
    scopes: 'write',
    requiresUser: true,
    handler: (ctx) => withParams(ctx, (params) => createProject(ctx, params)),
  });
  projectWrite(router, 'PUT', '', ROLE.maintainer, editProject);
  projectWrite(router, 'POST', '/labels', ROLE.reporter, createLabel);
  projectWrite(router, 'POST', '/milestones', ROLE.reporter, createMilestone);
  projectWrite(router, 'PUT', '/milestones/{milestone_id}', ROLE.reporter, editMilestone);
  registerGitlabIssueWriteRoutes(router);
  registerGitlabReleaseWriteRoutes(router);
}
