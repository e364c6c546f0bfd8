import type { HttpRouter } from '../../core/http-router';
import type { IssueRecord, SimRepository } from '../../core/world/world-model';
import { canSee, canSeeWorkspace, NEEDS, type ScopeNeed } from './bitbucket-cloud-access';
import type { CloudRequest, CloudResult, CloudRoute } from './bitbucket-cloud-context';
import { DOWNLOAD_MEDIA_PREFIX } from './bitbucket-cloud-downloads';
import { downloadsOf, issueCommentsOf, issuesOf, pullRequestCommentsOf, pullRequestsOf } from './bitbucket-cloud-metadata';
import { compileQuery, type FieldAccessors } from './bitbucket-cloud-query';
import { repositorySize } from './bitbucket-cloud-repository-size';
import * as ser from './bitbucket-cloud-serializers';
import { registerCloudWriteRoutes } from './bitbucket-cloud-write-routes';

/** The API's prefix on its host (api.bitbucket.org/2.0). */
export const CLOUD_API_PREFIX = '/2.0';

const REPO = `${CLOUD_API_PREFIX}/repositories/{workspace}/{repo_slug}`;

function notFound(message = 'Not found'): CloudResult {
  return { kind: 'error', status: 404, message };
}

/** Invisible and missing repositories look the same, as on bitbucket.org. */
const REPOSITORY_NOT_FOUND =
  'You may not have access to this repository or it no longer exists in this workspace. If you think this repository exists and you have access, make sure you are authenticated.';

function visibleRepository(request: CloudRequest): SimRepository | undefined {
  const { host, directory } = request.cloud;
  const repo = host.world.repository(request.params.workspace, request.params.repo_slug);
  return repo && canSee(host.world, directory, request.viewer, repo) ? repo : undefined;
}

function repoRoute(router: HttpRouter<CloudRoute>, suffix: string, need: ScopeNeed, handler: (request: CloudRequest, repo: SimRepository) => Promise<CloudResult> | CloudResult): void {
  router.add('GET', `${REPO}${suffix}`, {
    need,
    handler: (request) => {
      const repo = visibleRepository(request);
      return repo ? handler(request, repo) : notFound(REPOSITORY_NOT_FOUND);
    },
  });
}

/** `sort=field` / `sort=-field` over the given accessors (unknown fields are an error, as on bitbucket.org). */
function sorted<T>(request: CloudRequest, items: T[], fields: FieldAccessors<T>, fallback: (a: T, b: T) => number): T[] {
  const sort = request.url.searchParams.get('sort');
  if (!sort) return [...items].sort(fallback);
  const descending = sort.startsWith('-');
  const field = fields[descending ? sort.slice(1) : sort];
  if (!field) throw new SortError(`Invalid sort field: ${sort}`);
  return [...items].sort((a, b) => {
    const x = field(a) ?? '';
    const y = field(b) ?? '';
    const order = x < y ? -1 : x > y ? 1 : fallback(a, b);
    return descending ? -order : order;
  });
}

export class SortError extends Error {}

function filtered<T>(request: CloudRequest, items: T[], fields: FieldAccessors<T>): T[] {
  const keep = compileQuery(request.url.searchParams.get('q'), fields);
  return items.filter(keep);
}

async function tagInfos(request: CloudRequest, repo: SimRepository): Promise<ser.TagInfo[]> {
  const format = ['%(refname:strip=2)', '%(objecttype)', '%(objectname)', '%(*objectname)', '%(contents:subject)', '%(taggerdate:iso-strict)', '%(taggername) %(taggeremail)', '%(committerdate:iso-strict)', '%(*committerdate:iso-strict)', '%(authorname) %(authoremail)', '%(*authorname) %(*authoremail)', '%(*contents:subject)'].join('%00');
  const out = await request.cloud.host.git.run(['--git-dir', repo.gitDir, 'for-each-ref', `--format=${format}`, 'refs/tags']);
  return out
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, type, sha, peeled, subject, taggerDate, tagger, commitDate, peeledDate, author, peeledAuthor, peeledSubject] = line.split('\u0000');
      const annotated = type === 'tag';
      return {
        name,
        commit: annotated ? peeled : sha,
        commitDate: annotated ? peeledDate : commitDate,
        commitMessage: annotated ? peeledSubject : subject,
        commitAuthor: annotated ? peeledAuthor : author,
        annotated: annotated ? { message: `${subject}\n`, date: taggerDate, tagger } : null,
      };
    });
}

const byNumber = (a: IssueRecord, b: IssueRecord): number => a.number - b.number;

/** The endpoints a backup uses, with the shapes of Bitbucket Cloud's API 2.0 (and those a restore writes with). */
export function registerCloudRoutes(router: HttpRouter<CloudRoute>): void {
  registerCloudWriteRoutes(router);
  router.add('GET', `${CLOUD_API_PREFIX}/user`, {
    need: NEEDS.user,
    handler: (request) => {
      if (request.viewer.kind !== 'user') return { kind: 'error', status: 401, message: 'Unauthorized' };
      return { kind: 'json', status: 200, body: ser.currentUser(request.ser, request.viewer.user) };
    },
  });

  router.add('GET', `${CLOUD_API_PREFIX}/workspaces/{workspace}`, {
    need: NEEDS.workspace,
    handler: (request) => {
      const org = request.cloud.host.world.organization(request.params.workspace);
      if (!org || !canSeeWorkspace(request.cloud.host.world, request.viewer, org.login)) return notFound(`No workspace with identifier '${request.params.workspace}'.`);
      return { kind: 'json', status: 200, body: ser.workspace(request.ser, org) };
    },
  });

  router.add('GET', `${CLOUD_API_PREFIX}/repositories/{workspace}`, {
    need: NEEDS.repository,
    handler: (request) => {
      const { host, directory } = request.cloud;
      if (!host.world.organization(request.params.workspace)) return notFound(`No workspace with identifier '${request.params.workspace}'.`);
      const fields: FieldAccessors<SimRepository> = {
        name: (r) => r.name,
        slug: (r) => r.name.toLowerCase(),
        full_name: (r) => `${r.owner.login}/${r.name}`,
        is_private: (r) => r.private,
        created_on: (r) => r.createdAt,
        updated_on: (r) => r.updatedAt,
        'project.key': (r) => directory.traitsOf(r).projectKey,
        has_issues: (r) => directory.traitsOf(r).hasIssues,
      };
      const visible = host.world.repositoriesOf(request.params.workspace).filter((r) => canSee(host.world, directory, request.viewer, r));
      const repos = sorted(request, filtered(request, visible, fields), fields, (a, b) => a.id - b.id);
      return { kind: 'page', items: repos, maxPagelen: 100, render: (page) => (page as SimRepository[]).map((r) => ser.repository(request.ser, r, repositorySize(r))) };
    },
  });

  repoRoute(router, '', NEEDS.repository, (request, repo) => ({ kind: 'json', status: 200, body: ser.repository(request.ser, repo, repositorySize(repo)) }));

  repoRoute(router, '/pullrequests', NEEDS.pullrequest, async (request, repo) => {
    const states = request.url.searchParams.getAll('state').map((s) => s.toUpperCase());
    const wanted = new Set(states.length > 0 ? states : ['OPEN']);
    const fields: FieldAccessors<IssueRecord> = {
      id: (i) => i.number,
      title: (i) => i.title,
      state: (i) => ser.pullState(i),
      created_on: (i) => i.createdAt,
      updated_on: (i) => i.updatedAt,
      draft: (i) => i.pull?.draft ?? false,
      'source.branch.name': (i) => i.pull?.headRef ?? null,
      'destination.branch.name': (i) => i.pull?.baseRef ?? null,
    };
    const pulls = sorted(request, filtered(request, pullRequestsOf(repo).filter((p) => wanted.has(ser.pullState(p))), fields), fields, byNumber);
    const refs = await request.cloud.host.refs.refs(repo.gitDir);
    const sha = (branch: string | undefined): string | null => refs.find((r) => r.name === `refs/heads/${branch ?? ''}`)?.sha ?? null;
    return {
      kind: 'page',
      items: pulls,
      maxPagelen: 50,
      render: (page) =>
        (page as IssueRecord[]).map((issue) =>
          ser.pullRequest(request.ser, repo, {
            issue,
            sourceSha: sha(issue.pull?.headRef),
            destinationSha: sha(issue.pull?.baseRef),
            commentCount: pullRequestCommentsOf(repo, issue.number).length,
            reviews: repo.metadata.reviews.filter((r) => r.pullNumber === issue.number),
          }),
        ),
    };
  });

  repoRoute(router, '/pullrequests/{pull_request_id}/comments', NEEDS.pullrequest, (request, repo) => {
    const pull = pullRequestsOf(repo).find((p) => String(p.number) === request.params.pull_request_id);
    if (!pull) return notFound(`No pull request with id ${request.params.pull_request_id}`);
    type Comment = ReturnType<typeof pullRequestCommentsOf>[number];
    const fields: FieldAccessors<Comment> = { id: (c) => c.id, created_on: (c) => c.createdAt, updated_on: (c) => c.updatedAt };
    const comments = sorted(request, filtered(request, pullRequestCommentsOf(repo, pull.number), fields), fields, (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
    return { kind: 'page', items: comments, maxPagelen: 100, render: (page) => (page as Comment[]).map((c) => ser.pullRequestComment(request.ser, repo, pull, c)) };
  });

  repoRoute(router, '/issues', NEEDS.issue, (request, repo) => {
    if (!request.cloud.directory.traitsOf(repo).hasIssues) return notFound('Repository has no issue tracker.');
    const fields: FieldAccessors<IssueRecord> = {
      id: (i) => i.number,
      title: (i) => i.title,
      state: (i) => (i.state === 'open' ? 'open' : 'resolved'),
      kind: (i) => ser.issueKind(i),
      priority: () => 'major',
      created_on: (i) => i.createdAt,
      updated_on: (i) => i.updatedAt,
    };
    const issues = sorted(request, filtered(request, issuesOf(repo, request.cloud.directory), fields), fields, byNumber);
    return { kind: 'page', items: issues, maxPagelen: 100, render: (page) => (page as IssueRecord[]).map((i) => ser.issue(request.ser, repo, i)) };
  });

  repoRoute(router, '/issues/{issue_id}/comments', NEEDS.issue, (request, repo) => {
    if (!request.cloud.directory.traitsOf(repo).hasIssues) return notFound('Repository has no issue tracker.');
    const record = issuesOf(repo, request.cloud.directory).find((i) => String(i.number) === request.params.issue_id);
    if (!record) return notFound(`No issue with id ${request.params.issue_id}`);
    type Comment = ReturnType<typeof issueCommentsOf>[number];
    const fields: FieldAccessors<Comment> = { id: (c) => c.id, created_on: (c) => c.createdAt, updated_on: (c) => c.updatedAt };
    const comments = sorted(request, filtered(request, issueCommentsOf(repo, record.number), fields), fields, (a, b) => a.id - b.id);
    return { kind: 'page', items: comments, maxPagelen: 100, render: (page) => (page as Comment[]).map((c) => ser.issueComment(request.ser, repo, record, c)) };
  });

  repoRoute(router, '/refs/tags', NEEDS.repository, async (request, repo) => {
    const fields: FieldAccessors<ser.TagInfo> = { name: (t) => t.name, 'target.date': (t) => t.commitDate, 'target.hash': (t) => t.commit };
    const tags = sorted(request, filtered(request, await tagInfos(request, repo), fields), fields, (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { kind: 'page', items: tags, maxPagelen: 100, render: (page) => (page as ser.TagInfo[]).map((t) => ser.tag(request.ser, repo, t)) };
  });

  repoRoute(router, '/downloads', NEEDS.repository, (request, repo) => {
    const assets = downloadsOf(repo);
    return { kind: 'page', items: assets, maxPagelen: 100, render: (page) => (page as typeof assets).map((a) => ser.download(request.ser, repo, a)) };
  });

  repoRoute(router, '/downloads/{filename}', NEEDS.repository, (request, repo) => {
    const asset = downloadsOf(repo).find((a) => a.name === request.params.filename);
    if (!asset) return notFound(`No download named ${request.params.filename}`);
    const { clock, options, downloads } = request.cloud;
    const token = downloads.mint(repo.id, asset.name, clock.now(), clock.durationMs(options.lfsActionExpiresSeconds));
    return { kind: 'redirect', location: `${request.url.origin}${DOWNLOAD_MEDIA_PREFIX}${token}/${encodeURIComponent(asset.name)}` };
  });
}
