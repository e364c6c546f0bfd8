import type { HttpRouter } from '../../core/http-router';
import { writeInstant } from '../../core/write-time';
import type { IssueRecord, LabelRecord, MilestoneRecord } from '../../core/world/world-model';
import type { GitlabProject } from './gitlab-model';
import { forbidden, GITLAB_API_PREFIX, json, notFound, type GitlabResult, type GitlabRoute, type GitlabRouteContext } from './gitlab-rest-types';
import { mergeRequestRef } from './gitlab-seeder';
import type { MergeRequestShas } from './gitlab-serializers';
import { GitlabParamError, GitlabWriteParams } from './gitlab-write-params';

export const ROLE = { guest: 10, reporter: 20, developer: 30, maintainer: 40, owner: 50 } as const;

export type WriteHandler = (ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams) => Promise<GitlabResult> | GitlabResult;

/** The error body GitLab's API sends for a missing or invalid parameter. */
export function paramError(message: string): GitlabResult {
  return json({ error: message }, 400);
}

/** Runs a write handler, turning parameter problems into GitLab's 400. */
export async function withParams(ctx: GitlabRouteContext, run: (params: GitlabWriteParams) => Promise<GitlabResult> | GitlabResult): Promise<GitlabResult> {
  try {
    return await run(await GitlabWriteParams.read(ctx));
  } catch (error) {
    if (error instanceof GitlabParamError) return paramError(error.message);
    throw error;
  }
}

/**
 * A write under `/projects/{id}…`: the token needs the `api` scope (checked by the pipeline), the
 * project must be visible (404 otherwise, as for reads) and the caller must hold at least `minLevel`
 * on it (403).
 */
export function projectWrite(router: HttpRouter<GitlabRoute>, method: 'POST' | 'PUT', suffix: string, minLevel: number, handler: WriteHandler): void {
  router.add(method, `${GITLAB_API_PREFIX}/projects/{id}${suffix}`, {
    scopes: 'write',
    requiresUser: true,
    handler: async (ctx) => {
      const project = ctx.gl.findProject(ctx.params.id);
      if (!project || !ctx.access.canSeeProject(ctx.viewer, project)) return notFound('Project');
      if (ctx.access.projectLevel(ctx.viewer, project) < minLevel) return forbidden();
      return withParams(ctx, (params) => handler(ctx, project, params));
    },
  });
}

export function viewerId(ctx: GitlabRouteContext): number {
  if (ctx.viewer.kind !== 'user') throw new Error('writes need a user');
  return ctx.viewer.user.id;
}

/** When a write happens (milliseconds, strictly after the previous write). */
export function now(ctx: GitlabRouteContext): string {
  return writeInstant(ctx.clock);
}

/** Issues and merge requests share the simulator's numbering (GitLab iids with gaps): the next free one. */
export function nextNumber(project: GitlabProject): number {
  return project.repo.metadata.issues.reduce((max, i) => Math.max(max, i.number), 0) + 1;
}

export function findIssue(project: GitlabProject, iid: string, mergeRequest: boolean): IssueRecord | undefined {
  return project.repo.metadata.issues.find((i) => (i.pull !== null) === mergeRequest && String(i.number) === iid);
}

/** A milestone by global id among the project's own (the only ones an issue of the simulator can carry). */
export function projectMilestoneById(project: GitlabProject, id: number): MilestoneRecord | undefined {
  return project.repo.metadata.milestones.find((m) => m.id === id);
}

/** Label names an issue or merge request may carry: GitLab creates a project label for a name it does not know. */
export function ensureLabels(ctx: GitlabRouteContext, project: GitlabProject, names: string[]): string[] {
  const known = new Set([...project.repo.metadata.labels, ...ctx.gl.ancestry(project.group).flatMap((g) => g.labels)].map((l) => l.name));
  for (const name of names) {
    if (known.has(name)) continue;
    const label: LabelRecord = { id: ctx.gl.world.ids.allocate('label'), name, color: '6699cc', description: '', isDefault: false };
    project.repo.metadata.labels.push(label);
    known.add(name);
  }
  return names;
}

export async function mergeRequestShas(ctx: GitlabRouteContext, project: GitlabProject, mr: IssueRecord): Promise<MergeRequestShas> {
  const head = await ctx.refs.ref(project.repo.gitDir, mergeRequestRef(mr.number));
  const base = await ctx.refs.ref(project.repo.gitDir, `refs/heads/${mr.pull?.baseRef ?? project.repo.defaultBranch}`);
  return { head: head?.sha ?? null, base: base?.sha ?? null };
}

/** `state_event` of issues and merge requests: close or reopen. */
export function applyStateEvent(ctx: GitlabRouteContext, item: IssueRecord, event: string | undefined): GitlabResult | null {
  if (event === undefined) return null;
  if (event === 'close') {
    if (item.state === 'open') {
      item.state = 'closed';
      item.closedAt = now(ctx);
    }
    return null;
  }
  if (event === 'reopen') {
    if (item.pull?.merged) return json({ message: '405 Method Not Allowed' }, 405);
    item.state = 'open';
    item.closedAt = null;
    return null;
  }
  return paramError('state_event does not have a valid value');
}
