import type { HttpRouter } from '../../core/http-router';
import type { IssueRecord, MilestoneRecord } from '../../core/world/world-model';
import type { GitlabGroup, GitlabProject } from './gitlab-model';
import { keysetPage } from './gitlab-pagination';
import { tokenExpired } from './gitlab-auth';
import {
  badRequest, forbidden, GITLAB_API_PREFIX, json, notFound, offset, offsetAsync, type GitlabResult, type GitlabRoute, type GitlabRouteContext,
} from './gitlab-rest-types';
import { mergeRequestRef } from './gitlab-seeder';
import { registerGitlabWriteRoutes } from './gitlab-write-routes';
import * as ser from './gitlab-serializers';

const API = GITLAB_API_PREFIX;

function param(ctx: GitlabRouteContext, name: string): string | undefined {
  const value = ctx.url.searchParams.get(name);
  return value === null || value === '' ? undefined : value;
}

function flag(ctx: GitlabRouteContext, name: string, fallback: boolean): boolean {
  const value = param(ctx, name);
  return value === undefined ? fallback : value === 'true' || value === '1';
}

type TimeFilter = ((iso: string) => boolean) | { error: string };

/** `updated_after` / `updated_before` (and `created_…`): ISO 8601 instants, inclusive as GitLab documents. */
function timeFilter(ctx: GitlabRouteContext, prefix: 'updated' | 'created'): TimeFilter {
  const after = param(ctx, `${prefix}_after`);
  const before = param(ctx, `${prefix}_before`);
  const afterMs = after === undefined ? undefined : Date.parse(after);
  const beforeMs = before === undefined ? undefined : Date.parse(before);
  if (afterMs !== undefined && Number.isNaN(afterMs)) return { error: `${prefix}_after is invalid` };
  if (beforeMs !== undefined && Number.isNaN(beforeMs)) return { error: `${prefix}_before is invalid` };
  return (iso) => {
    const at = Date.parse(iso);
    return (afterMs === undefined || at >= afterMs) && (beforeMs === undefined || at <= beforeMs);
  };
}

function sortBy<T>(items: T[], key: (item: T) => string | number, direction: 'asc' | 'desc'): T[] {
  return [...items].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return direction === 'asc' ? order : -order;
  });
}

function direction(ctx: GitlabRouteContext, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  const value = param(ctx, 'sort');
  return value === 'asc' || value === 'desc' ? value : fallback;
}

function visibleGroup(ctx: GitlabRouteContext): GitlabGroup | undefined {
  const group = ctx.gl.findGroup(ctx.params.id);
  return group && ctx.access.canSeeGroup(ctx.viewer, group) ? group : undefined;
}

function visibleProject(ctx: GitlabRouteContext): GitlabProject | undefined {
  const project = ctx.gl.findProject(ctx.params.id);
  return project && ctx.access.canSeeProject(ctx.viewer, project) ? project : undefined;
}

type ProjectHandler = (ctx: GitlabRouteContext, project: GitlabProject) => Promise<GitlabResult> | GitlabResult;

/** A `/projects/{id}…` route: 404 unless the viewer sees the project, 403 for code-level data it may not read. */
function projectRoute(router: HttpRouter<GitlabRoute>, suffix: string, code: boolean, handler: ProjectHandler): void {
  router.add('GET', `${API}/projects/{id}${suffix}`, {
    scopes: 'api',
    handler: async (ctx) => {
      const project = visibleProject(ctx);
      if (!project) return notFound('Project');
      if (code && !ctx.access.canReadCode(ctx.viewer, project)) return forbidden();
      return handler(ctx, project);
    },
  });
}

function groupRoute(router: HttpRouter<GitlabRoute>, suffix: string, route: Omit<GitlabRoute, 'handler'>, handler: (ctx: GitlabRouteContext, group: GitlabGroup) => Promise<GitlabResult> | GitlabResult): void {
  router.add('GET', `${API}/groups/{id}${suffix}`, {
    ...route,
    handler: async (ctx) => {
      const group = visibleGroup(ctx);
      return group ? handler(ctx, group) : notFound('Group');
    },
  });
}

async function mergeRequestShas(ctx: GitlabRouteContext, project: GitlabProject, issue: IssueRecord): Promise<ser.MergeRequestShas> {
  const head = await ctx.refs.ref(project.repo.gitDir, mergeRequestRef(issue.number));
  const base = await ctx.refs.ref(project.repo.gitDir, `refs/heads/${issue.pull?.baseRef ?? project.repo.defaultBranch}`);
  return { head: head?.sha ?? null, base: base?.sha ?? null };
}

/** Projects listed by `/projects` and `/groups/{id}/projects`, after their common filters and order. */
function projectListing(ctx: GitlabRouteContext, candidates: GitlabProject[]): GitlabResult {
  const visibility = param(ctx, 'visibility');
  const search = param(ctx, 'search')?.toLowerCase();
  const minAccess = Number(param(ctx, 'min_access_level') ?? 0);
  const archived = param(ctx, 'archived');
  const projects = candidates
    .filter((p) => ctx.access.canSeeProject(ctx.viewer, p))
    .filter((p) => visibility === undefined || p.visibility === visibility)
    .filter((p) => search === undefined || p.repo.name.toLowerCase().includes(search))
    .filter((p) => minAccess === 0 || ctx.access.projectLevel(ctx.viewer, p) >= minAccess)
    .filter(() => archived !== 'true');
  const simple = flag(ctx, 'simple', false);
  const render = (p: GitlabProject): unknown => ser.project(ctx.ser, p, { simple });
  if (param(ctx, 'pagination') === 'keyset') {
    const orderBy = param(ctx, 'order_by') ?? 'id';
    if (orderBy !== 'id') return json({ error: 'Keyset pagination is not supported for this ordering.' }, 405);
    const { page, headers } = keysetPage(projects, ctx.url);
    return { kind: 'page', body: page.map(render), headers };
  }
  const orderBy = param(ctx, 'order_by') ?? 'created_at';
  const key = (p: GitlabProject): string | number =>
    orderBy === 'id' ? p.id : orderBy === 'name' || orderBy === 'path' ? p.repo.name.toLowerCase() : orderBy === 'updated_at' || orderBy === 'last_activity_at' ? `${p.repo.updatedAt}|${String(p.id).padStart(12, '0')}` : `${p.repo.createdAt}|${String(p.id).padStart(12, '0')}`;
  return offset(sortBy(projects, key, direction(ctx, 'desc')), render);
}

function labelCounts(project: GitlabProject, name: string): { openIssues: number; closedIssues: number; openMergeRequests: number } {
  const withLabel = project.repo.metadata.issues.filter((i) => i.labelNames.includes(name));
  return {
    openIssues: withLabel.filter((i) => i.pull === null && i.state === 'open').length,
    closedIssues: withLabel.filter((i) => i.pull === null && i.state === 'closed').length,
    openMergeRequests: withLabel.filter((i) => i.pull !== null && i.state === 'open').length,
  };
}

function milestoneFilter(ctx: GitlabRouteContext, milestones: MilestoneRecord[]): MilestoneRecord[] | { error: string } {
  const updated = timeFilter(ctx, 'updated');
  if (typeof updated !== 'function') return updated;
  const state = param(ctx, 'state');
  const title = param(ctx, 'title');
  return milestones
    .filter((m) => state === undefined || (state === 'active' ? m.state === 'open' : state === 'closed' ? m.state === 'closed' : true))
    .filter((m) => title === undefined || m.title === title)
    .filter((m) => updated(m.updatedAt))
    .sort((a, b) => a.id - b.id);
}

/** Accounts and tokens: who the caller is. */
function registerAccountRoutes(router: HttpRouter<GitlabRoute>): void {
  router.add('GET', `${API}/user`, {
    scopes: 'user',
    requiresUser: true,
    handler: (ctx) => (ctx.viewer.kind === 'user' ? json(ser.currentUser(ctx.ser, ctx.viewer.user)) : json({ message: '401 Unauthorized' }, 401)),
  });

  router.add('GET', `${API}/personal_access_tokens/self`, {
    scopes: 'any',
    requiresUser: true,
    handler: (ctx) => {
      if (ctx.viewer.kind !== 'user') return json({ message: '401 Unauthorized' }, 401);
      // OAuth tokens are no personal access tokens: their details are at /oauth/token/info.
      if (ctx.viewer.token.kind === 'oauth') return notFound();
      return json(ser.tokenSelf(ctx.viewer.token, !ctx.viewer.token.revoked && !tokenExpired(ctx.viewer.token, ctx.clock.now())));
    },
  });

  router.add('GET', '/oauth/token/info', {
    scopes: 'any',
    requiresUser: true,
    handler: (ctx) => {
      if (ctx.viewer.kind !== 'user' || ctx.viewer.token.kind !== 'oauth') {
        return json({ error: 'invalid_token', error_description: 'The access token is invalid' }, 401);
      }
      const { token } = ctx.viewer;
      const expiresIn = token.oauthExpiresAtMs === null ? null : Math.max(0, Math.floor((token.oauthExpiresAtMs - ctx.clock.now()) / 1000));
      return json({
        resource_owner_id: token.userId,
        scope: [...token.scopes],
        expires_in: expiresIn,
        application: { uid: 'repovault-simulated-oauth-application' },
        created_at: Math.floor(Date.parse(token.createdAt) / 1000),
        scopes: [...token.scopes],
        expires_in_seconds: expiresIn,
      });
    },
  });
}

function registerGroupRoutes(router: HttpRouter<GitlabRoute>): void {
  router.add('GET', `${API}/groups`, {
    scopes: 'api',
    budget: 'groups',
    handler: (ctx) => {
      const allAvailable = flag(ctx, 'all_available', ctx.viewer.kind !== 'user');
      const topLevelOnly = flag(ctx, 'top_level_only', false);
      const search = param(ctx, 'search')?.toLowerCase();
      const groups = ctx.gl
        .groups()
        .filter((g) => ctx.access.canSeeGroup(ctx.viewer, g))
        .filter((g) => allAvailable || ctx.access.groupLevel(ctx.viewer, g) > 0)
        .filter((g) => !topLevelOnly || g.parentId === null)
        .filter((g) => search === undefined || g.name.toLowerCase().includes(search) || g.path.toLowerCase().includes(search));
      return offset(sortBy(groups, (g) => g.fullName.toLowerCase(), direction(ctx, 'asc')), (g) => ser.group(ctx.ser, g));
    },
  });

  groupRoute(router, '', { scopes: 'api' }, (ctx, group) => {
    const body = ser.group(ctx.ser, group);
    if (!flag(ctx, 'with_projects', true)) return json(body);
    const projects = ctx.gl.projects().filter((p) => p.group.id === group.id && ctx.access.canSeeProject(ctx.viewer, p)).slice(0, 100);
    return json({ ...body, projects: projects.map((p) => ser.project(ctx.ser, p)), shared_projects: [] });
  });

  groupRoute(router, '/projects', { scopes: 'api', budget: 'groups-projects' }, (ctx, group) => {
    const groups = flag(ctx, 'include_subgroups', false) ? ctx.gl.descendantsAndSelf(group) : [group];
    const ids = new Set(groups.map((g) => g.id));
    return projectListing(ctx, ctx.gl.projects().filter((p) => ids.has(p.group.id)));
  });

  groupRoute(router, '/subgroups', { scopes: 'api' }, (ctx, group) => {
    const subgroups = ctx.gl.children(group).filter((g) => ctx.access.canSeeGroup(ctx.viewer, g));
    return offset(sortBy(subgroups, (g) => g.name.toLowerCase(), direction(ctx, 'asc')), (g) => ser.group(ctx.ser, g));
  });

  groupRoute(router, '/members/all/{user_id}', { scopes: 'api' }, (ctx, group) => {
    const user = /^\d+$/.test(ctx.params.user_id) ? ctx.gl.user(Number(ctx.params.user_id)) : undefined;
    const level = user ? Math.max(0, ...ctx.gl.ancestry(group).map((g) => g.members.get(user.id) ?? 0)) : 0;
    return user && level > 0 ? json(ser.member(ctx.ser, user, level)) : notFound();
  });

  groupRoute(router, '/labels', { scopes: 'api' }, (ctx, group) => {
    const chain = flag(ctx, 'include_ancestor_groups', true) ? ctx.gl.ancestry(group).reverse() : [group];
    const below = flag(ctx, 'include_descendant_groups', false) ? ctx.gl.descendantsAndSelf(group).slice(1) : [];
    const labels = [...chain, ...below].flatMap((g) => g.labels);
    return offset(sortBy(labels, (l) => l.name.toLowerCase(), 'asc'), (l) => ser.label(l, null, false));
  });

  groupRoute(router, '/milestones', { scopes: 'api' }, (ctx, group) => {
    const chain = flag(ctx, 'include_ancestors', false) || flag(ctx, 'include_parent_milestones', false) ? ctx.gl.ancestry(group) : [group];
    const filtered = milestoneFilter(ctx, chain.flatMap((g) => g.milestones));
    if (!Array.isArray(filtered)) return badRequest(filtered.error);
    const owner = new Map(chain.flatMap((g) => g.milestones.map((m) => [m.id, g] as const)));
    return offset(filtered, (m) => ser.groupMilestone(ctx.ser, owner.get(m.id) ?? group, m));
  });
}

function registerProjectRoutes(router: HttpRouter<GitlabRoute>): void {
  router.add('GET', `${API}/projects`, {
    scopes: 'api',
    budget: 'projects-list',
    handler: (ctx) => {
      const membership = flag(ctx, 'membership', false) || flag(ctx, 'owned', false);
      const candidates = ctx.gl.projects().filter((p) => !membership || ctx.access.isMember(ctx.viewer, p));
      return projectListing(ctx, candidates);
    },
  });

  projectRoute(router, '', false, (ctx, project) => json(ser.project(ctx.ser, project)));

  projectRoute(router, '/issues', false, (ctx, project) => {
    const updated = timeFilter(ctx, 'updated');
    const created = timeFilter(ctx, 'created');
    if (typeof updated !== 'function') return badRequest(updated.error);
    if (typeof created !== 'function') return badRequest(created.error);
    const state = param(ctx, 'state') ?? 'all';
    const scope = param(ctx, 'scope') ?? 'all';
    const labels = param(ctx, 'labels')?.split(',').map((l) => l.trim()).filter(Boolean) ?? [];
    const me = ctx.viewer.kind === 'user' ? ctx.viewer.user.id : -1;
    const orderBy = param(ctx, 'order_by') === 'updated_at' ? 'updated_at' : 'created_at';
    const issues = project.repo.metadata.issues
      .filter((i) => i.pull === null)
      .filter((i) => state === 'all' || (state === 'opened' ? i.state === 'open' : i.state === 'closed'))
      .filter((i) => scope === 'all' || (scope === 'created_by_me' ? i.authorId === me : scope === 'assigned_to_me' ? i.assigneeIds.includes(me) : true))
      .filter((i) => labels.every((l) => i.labelNames.includes(l)))
      .filter((i) => updated(i.updatedAt) && created(i.createdAt));
    const key = (i: IssueRecord): string => `${orderBy === 'updated_at' ? i.updatedAt : i.createdAt}|${String(i.id).padStart(12, '0')}`;
    return offset(sortBy(issues, key, direction(ctx, 'desc')), (i) => ser.issue(ctx.ser, project, i));
  });

  projectRoute(router, '/issues/{issue_iid}/notes', false, (ctx, project) => {
    const issue = project.repo.metadata.issues.find((i) => i.pull === null && String(i.number) === ctx.params.issue_iid);
    if (!issue) return notFound('Issue');
    return notesListing(ctx, project, issue);
  });

  projectRoute(router, '/merge_requests', true, (ctx, project) => {
    const updated = timeFilter(ctx, 'updated');
    const created = timeFilter(ctx, 'created');
    if (typeof updated !== 'function') return badRequest(updated.error);
    if (typeof created !== 'function') return badRequest(created.error);
    const state = param(ctx, 'state') ?? 'all';
    const source = param(ctx, 'source_branch');
    const target = param(ctx, 'target_branch');
    const orderBy = param(ctx, 'order_by') === 'updated_at' ? 'updated_at' : 'created_at';
    const stateOf = (i: IssueRecord): string => (i.state === 'open' ? 'opened' : i.pull?.merged ? 'merged' : 'closed');
    const requests = project.repo.metadata.issues
      .filter((i) => i.pull !== null)
      .filter((i) => state === 'all' || stateOf(i) === state)
      .filter((i) => source === undefined || i.pull?.headRef === source)
      .filter((i) => target === undefined || i.pull?.baseRef === target)
      .filter((i) => updated(i.updatedAt) && created(i.createdAt));
    const key = (i: IssueRecord): string => `${orderBy === 'updated_at' ? i.updatedAt : i.createdAt}|${String(i.id).padStart(12, '0')}`;
    return offsetAsync(sortBy(requests, key, direction(ctx, 'desc')), async (page) => {
      const out: unknown[] = [];
      for (const mr of page) out.push(ser.mergeRequest(ctx.ser, project, mr, await mergeRequestShas(ctx, project, mr)));
      return out;
    });
  });

  projectRoute(router, '/merge_requests/{merge_request_iid}/notes', true, (ctx, project) => {
    const mr = project.repo.metadata.issues.find((i) => i.pull !== null && String(i.number) === ctx.params.merge_request_iid);
    if (!mr) return notFound('Merge Request');
    return notesListing(ctx, project, mr);
  });

  projectRoute(router, '/releases', true, (ctx, project) => {
    const orderBy = param(ctx, 'order_by') === 'created_at' ? 'createdAt' : 'publishedAt';
    const releases = sortBy(project.repo.metadata.releases, (r) => r[orderBy], direction(ctx, 'desc'));
    return offsetAsync(releases, async (page) => {
      const out: unknown[] = [];
      for (const r of page) {
        const tag = await ctx.refs.ref(project.repo.gitDir, `refs/tags/${r.tagName}`);
        out.push(ser.release(ctx.ser, project, r, tag ? { id: tag.peeled ?? tag.sha, createdAt: r.createdAt } : null));
      }
      return out;
    });
  });

  projectRoute(router, '/labels', false, (ctx, project) => {
    const withCounts = flag(ctx, 'with_counts', false);
    const own = project.repo.metadata.labels.map((l) => ({ l, projectLabel: true }));
    const inherited = flag(ctx, 'include_ancestor_groups', true) ? ctx.gl.ancestry(project.group).reverse().flatMap((g) => g.labels.map((l) => ({ l, projectLabel: false }))) : [];
    const search = param(ctx, 'search')?.toLowerCase();
    const labels = [...inherited, ...own].filter(({ l }) => search === undefined || l.name.toLowerCase().includes(search));
    return offset(sortBy(labels, ({ l }) => l.name.toLowerCase(), 'asc'), ({ l, projectLabel }) => ser.label(l, withCounts ? labelCounts(project, l.name) : null, projectLabel));
  });

  projectRoute(router, '/milestones', false, (ctx, project) => {
    const filtered = milestoneFilter(ctx, project.repo.metadata.milestones);
    if (!Array.isArray(filtered)) return badRequest(filtered.error);
    const groupMilestones = flag(ctx, 'include_ancestors', false) || flag(ctx, 'include_parent_milestones', false);
    const own = filtered.map((m) => ser.projectMilestone(ctx.ser, project, m));
    if (!groupMilestones) return offset(own, (m) => m);
    const inherited = ctx.gl.ancestry(project.group).flatMap((g) => {
      const list = milestoneFilter(ctx, g.milestones);
      return Array.isArray(list) ? list.map((m) => ser.groupMilestone(ctx.ser, g, m)) : [];
    });
    return offset([...own, ...inherited], (m) => m);
  });

  projectRoute(router, '/uploads/{secret}/{filename}', true, (ctx, project) => {
    const uploaded = project.uploads?.get(ctx.params.secret);
    if (uploaded && uploaded.filename === ctx.params.filename) return { kind: 'bytes', body: uploaded.content, contentType: uploaded.contentType, fileName: uploaded.filename };
    for (const release of project.repo.metadata.releases) {
      for (const asset of release.assets) {
        if (project.uploadSecrets.get(asset.id) === ctx.params.secret && asset.name === ctx.params.filename) {
          return { kind: 'bytes', body: asset.content, contentType: asset.contentType, fileName: asset.name };
        }
      }
    }
    return notFound('Upload');
  });
}

function notesListing(ctx: GitlabRouteContext, project: GitlabProject, noteable: IssueRecord): GitlabResult {
  const orderBy = param(ctx, 'order_by') === 'updated_at' ? 'updatedAt' : 'createdAt';
  const notes = sortBy(ser.notesOf(project, noteable.number), (n) => `${n.record[orderBy]}|${String(n.record.id).padStart(12, '0')}`, direction(ctx, 'desc'));
  return offsetAsync(notes, async (page) => {
    const shas = noteable.pull ? await mergeRequestShas(ctx, project, noteable) : { head: null, base: null };
    return page.map((n) => ser.note(ctx.ser, project, noteable, n, shas));
  });
}

/** Every REST route of the GitLab simulator (templates are full paths: `/api/v4/…`, `/oauth/token/info`). */
export function registerGitlabRoutes(router: HttpRouter<GitlabRoute>): void {
  registerAccountRoutes(router);
  registerGroupRoutes(router);
  registerProjectRoutes(router);
  registerGitlabWriteRoutes(router);
}
