import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/clock';
import type { HttpRouter } from '../../core/http-router';
import type { IdentityLedger } from '../../core/identity-stats';
import type { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import type { ProviderWorld } from '../../core/seeding/provider-world';
import type { IssueRecord, SimRepository } from '../../core/world/world-model';
import type { BitbucketDcViewer } from './bitbucket-dc-auth';
import { READ, type BitbucketDcDirectory } from './bitbucket-dc-directory';
import { activitiesOf, pullRequestsOf, type DcActivity } from './bitbucket-dc-metadata';
import type { ResolvedBitbucketDcOptions } from './bitbucket-dc-options';
import type { BitbucketDcRateLimits } from './bitbucket-dc-rate-limits';
import * as ser from './bitbucket-dc-serializers';
import { registerDcWriteRoutes } from './bitbucket-dc-write-routes';

/** Data Center's REST prefix; `/rest/api/1.0` is served too (as an alias of `latest`). */
export const DC_API_PREFIX = '/rest/api/latest';

export interface BitbucketDcContext {
  host: ProviderWorld;
  directory: BitbucketDcDirectory;
  ledger: IdentityLedger;
  limits: BitbucketDcRateLimits;
  options: ResolvedBitbucketDcOptions;
  clock: Clock;
  latencyMs: number;
  lfsTokens: LfsActionTokens;
}

export interface DcRequest {
  dc: BitbucketDcContext;
  viewer: BitbucketDcViewer;
  params: Record<string, string>;
  url: URL;
  ser: ser.DcSerializerContext;
  /** The request itself, for routes that read a body (writes). */
  req: IncomingMessage;
}

export type DcResult =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'page'; items: unknown[]; render(items: unknown[]): Promise<unknown[]> | unknown[] }
  | { kind: 'error'; status: number; message: string; exceptionName?: string };

export type DcRoute = (request: DcRequest) => Promise<DcResult> | DcResult;

export const DEFAULT_LIMIT = 25;
export const MAX_LIMIT = 1000;

/** Data Center paging: `start` (from 0) and `limit` (default 25, capped at 1000). */
export function dcPage(items: unknown[], url: URL): { items: unknown[]; body: Record<string, unknown> } {
  const int = (name: string, fallback: number): number => {
    const value = url.searchParams.get(name);
    return value !== null && /^\d+$/.test(value) ? Number.parseInt(value, 10) : fallback;
  };
  const start = int('start', 0);
  const limit = Math.min(MAX_LIMIT, Math.max(1, int('limit', DEFAULT_LIMIT)));
  const page = items.slice(start, start + limit);
  const isLastPage = start + limit >= items.length;
  return { items: page, body: { size: page.length, limit, isLastPage, start, ...(isLastPage ? {} : { nextPageStart: start + page.length }) } };
}

function notFound(message: string, exceptionName: string): DcResult {
  return { kind: 'error', status: 404, message, exceptionName };
}

const NO_PROJECT = 'com.atlassian.bitbucket.project.NoSuchProjectException';
const NO_REPO = 'com.atlassian.bitbucket.repository.NoSuchRepositoryException';

function readableRepository(request: DcRequest): SimRepository | DcResult {
  const { host, directory } = request.dc;
  const { projectKey, repositorySlug } = request.params;
  if (!host.world.organization(projectKey) || !directory.canViewProject(request.viewer.credential, projectKey)) return notFound(`Project ${projectKey} does not exist.`, NO_PROJECT);
  const repo = host.world.repository(projectKey, repositorySlug);
  if (!repo || directory.repositoryLevel(request.viewer.credential, repo) < READ) return notFound(`Repository ${projectKey}/${repositorySlug} does not exist.`, NO_REPO);
  return repo;
}

function repoRoute(router: HttpRouter<DcRoute>, suffix: string, handler: (request: DcRequest, repo: SimRepository) => Promise<DcResult> | DcResult): void {
  router.add('GET', `${DC_API_PREFIX}/projects/{projectKey}/repos/{repositorySlug}${suffix}`, (request) => {
    const repo = readableRepository(request);
    return 'kind' in repo ? repo : handler(request, repo);
  });
}

async function tags(request: DcRequest, repo: SimRepository): Promise<ser.DcTag[]> {
  const refs = await request.dc.host.refs.refs(repo.gitDir);
  return refs.filter((r) => r.name.startsWith('refs/tags/')).map((r) => ({ name: r.name.slice('refs/tags/'.length), object: r.sha, commit: r.peeled ?? r.sha }));
}

/** The endpoints a backup uses, with Data Center's shapes (and those a restore writes with). */
export function registerDcRoutes(router: HttpRouter<DcRoute>): void {
  registerDcWriteRoutes(router);
  router.add('GET', `${DC_API_PREFIX}/users/{userSlug}`, (request) => {
    const { directory, host } = request.dc;
    const slug = request.params.userSlug.toLowerCase();
    const viewer = request.viewer;
    if (viewer.kind === 'service' && viewer.serviceUser.name === slug) return { kind: 'json', status: 200, body: ser.serviceUser(request.ser, viewer.serviceUser) };
    const account = host.world.user(slug);
    // Service users are visible to themselves only; people to every authenticated caller.
    if (!account || directory.serviceUser(slug)) return notFound(`User ${request.params.userSlug} does not exist.`, 'com.atlassian.bitbucket.user.NoSuchUserException');
    return { kind: 'json', status: 200, body: ser.user(request.ser, account) };
  });

  router.add('GET', `${DC_API_PREFIX}/projects`, (request) => {
    const { directory, host } = request.dc;
    const name = request.url.searchParams.get('name')?.toLowerCase();
    const permission = request.url.searchParams.get('permission');
    const level = permission ? ({ PROJECT_VIEW: 0, PROJECT_READ: 1, PROJECT_WRITE: 2, PROJECT_ADMIN: 3 } as Record<string, number>)[permission] : 0;
    if (level === undefined) return { kind: 'error', status: 400, message: `${permission ?? ''} is not a valid project permission.` };
    const projects = host.world
      .organizations()
      .filter((o) => directory.canViewProject(request.viewer.credential, o.login))
      .filter((o) => level === 0 || directory.projectLevel(request.viewer.credential, o.login) >= level)
      .filter((o) => name === undefined || o.name.toLowerCase().includes(name))
      .sort((a, b) => (a.login < b.login ? -1 : 1));
    return { kind: 'page', items: projects, render: (page) => (page as typeof projects).map((o) => ser.project(request.ser, o)) };
  });

  router.add('GET', `${DC_API_PREFIX}/repos`, (request) => {
    const { directory, host } = request.dc;
    const permission = request.url.searchParams.get('permission');
    const level = permission ? ({ REPO_READ: 1, REPO_WRITE: 2, REPO_ADMIN: 3 } as Record<string, number>)[permission] : 1;
    if (level === undefined) return { kind: 'error', status: 400, message: `${permission ?? ''} is not a valid repository permission.` };
    const key = request.url.searchParams.get('projectkey')?.toUpperCase();
    const name = request.url.searchParams.get('name')?.toLowerCase();
    const repos = host.world
      .allRepositories()
      .filter((r) => key === undefined || r.owner.login.toUpperCase() === key)
      .filter((r) => name === undefined || r.name.toLowerCase().includes(name))
      .filter((r) => directory.repositoryLevel(request.viewer.credential, r) >= level)
      .sort((a, b) => a.id - b.id);
    return { kind: 'page', items: repos, render: (page) => (page as SimRepository[]).map((r) => ser.repository(request.ser, r)) };
  });

  router.add('GET', `${DC_API_PREFIX}/projects/{projectKey}`, (request) => {
    const org = request.dc.host.world.organization(request.params.projectKey);
    if (!org || !request.dc.directory.canViewProject(request.viewer.credential, org.login)) return notFound(`Project ${request.params.projectKey} does not exist.`, NO_PROJECT);
    return { kind: 'json', status: 200, body: ser.project(request.ser, org) };
  });

  router.add('GET', `${DC_API_PREFIX}/projects/{projectKey}/repos`, (request) => {
    const { directory, host } = request.dc;
    const org = host.world.organization(request.params.projectKey);
    if (!org || !directory.canViewProject(request.viewer.credential, org.login)) return notFound(`Project ${request.params.projectKey} does not exist.`, NO_PROJECT);
    const repos = host.world.repositoriesOf(org.login).filter((r) => directory.repositoryLevel(request.viewer.credential, r) >= READ);
    return { kind: 'page', items: repos, render: (page) => (page as SimRepository[]).map((r) => ser.repository(request.ser, r)) };
  });

  repoRoute(router, '', (request, repo) => ({ kind: 'json', status: 200, body: ser.repository(request.ser, repo) }));

  repoRoute(router, '/pull-requests', async (request, repo) => {
    const state = (request.url.searchParams.get('state') ?? 'OPEN').toUpperCase();
    if (!['ALL', 'OPEN', 'MERGED', 'DECLINED'].includes(state)) return { kind: 'error', status: 400, message: `${state} is not a valid pull request state.` };
    const order = (request.url.searchParams.get('order') ?? 'NEWEST').toUpperCase();
    const pulls = pullRequestsOf(repo)
      .filter((p) => state === 'ALL' || ser.pullState(p) === state)
      .sort((a, b) => (order === 'OLDEST' ? a.number - b.number : b.number - a.number));
    const refs = await request.dc.host.refs.refs(repo.gitDir);
    const sha = (branch: string | undefined): string | null => refs.find((r) => r.name === `refs/heads/${branch ?? ''}`)?.sha ?? null;
    return {
      kind: 'page',
      items: pulls,
      render: (page) =>
        (page as IssueRecord[]).map((issue) =>
          ser.pullRequest(request.ser, repo, {
            issue,
            fromSha: sha(issue.pull?.headRef),
            toSha: sha(issue.pull?.baseRef),
            commentCount: activitiesOf(repo, issue).filter((a) => a.kind === 'comment').length,
          }),
        ),
    };
  });

  repoRoute(router, '/pull-requests/{pullRequestId}/activities', (request, repo) => {
    const pull = pullRequestsOf(repo).find((p) => String(p.number) === request.params.pullRequestId);
    if (!pull) return notFound(`Pull request ${request.params.pullRequestId} does not exist in ${repo.owner.login}/${repo.name}.`, 'com.atlassian.bitbucket.pull.NoSuchPullRequestException');
    const activities = activitiesOf(repo, pull);
    return { kind: 'page', items: activities, render: (page) => (page as DcActivity[]).map((a) => ser.activity(request.ser, repo, a)) };
  });

  repoRoute(router, '/tags', async (request, repo) => {
    const filter = request.url.searchParams.get('filterText')?.toLowerCase();
    const all = (await tags(request, repo)).filter((t) => filter === undefined || t.name.toLowerCase().includes(filter)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { kind: 'page', items: all, render: (page) => (page as ser.DcTag[]).map((t) => ser.tag(t)) };
  });
}
