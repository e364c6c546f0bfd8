import type { HttpRouter } from '../../core/http-router';
import type { IssueRecord, SimRepository } from '../../core/world/world-model';
import { compareBy, direction, notFound, permissionsOf, queryParam, sinceFilter, visibleRepository } from './github-route-helpers';
import { json, list, listAsync, type RestContext, type RestResult, type RestRoute } from './github-rest-types';
import * as ser from './serializers';

const REPO_SCOPES = 'repo';

type RepoHandler = (ctx: RestContext, repo: SimRepository) => Promise<RestResult> | RestResult;

/** Registers a route under `/repos/{owner}/{repo}` that answers 404 unless the viewer can see the repository. */
function repoRoute(router: HttpRouter<RestRoute>, suffix: string, handler: RepoHandler): void {
  router.add('GET', `/repos/{owner}/{repo}${suffix}`, {
    resource: 'core',
    acceptedScopes: REPO_SCOPES,
    handler: async (ctx) => {
      const repo = visibleRepository(ctx);
      return repo ? handler(ctx, repo) : notFound();
    },
  });
}

/** Repository, its metadata (issues, pulls, comments, reviews, releases, labels, milestones) and refs. */
export function registerRepositoryRoutes(router: HttpRouter<RestRoute>): void {
  repoRoute(router, '', (ctx, repo) => json(ser.repository(ctx.ser, repo, permissionsOf(ctx, repo), true)));

  repoRoute(router, '/issues', (ctx, repo) => {
    const state = queryParam(ctx, 'state') ?? 'open';
    const since = sinceFilter(ctx);
    const labels = queryParam(ctx, 'labels')?.split(',').map((l) => l.trim()).filter(Boolean) ?? [];
    const milestone = queryParam(ctx, 'milestone');
    const creator = queryParam(ctx, 'creator')?.toLowerCase();
    const sort = queryParam(ctx, 'sort') ?? 'created';
    const comments = (i: IssueRecord): number => repo.metadata.issueComments.filter((c) => c.issueNumber === i.number).length;
    const issues = repo.metadata.issues
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => since(i.updatedAt))
      .filter((i) => labels.every((l) => i.labelNames.includes(l)))
      .filter((i) => milestone === undefined || (milestone === '*' ? i.milestoneNumber !== null : milestone === 'none' ? i.milestoneNumber === null : String(i.milestoneNumber) === milestone))
      .filter((i) => creator === undefined || ctx.world.userById(i.authorId)?.login.toLowerCase() === creator)
      .sort(compareBy<IssueRecord>((i) => (sort === 'updated' ? i.updatedAt : sort === 'comments' ? comments(i) : i.number), direction(ctx, 'desc')));
    return list(issues, (i) => ser.issue(ctx.ser, repo, i));
  });

  repoRoute(router, '/issues/comments', (ctx, repo) => {
    const since = sinceFilter(ctx);
    const sort = queryParam(ctx, 'sort');
    const comments = repo.metadata.issueComments
      .filter((c) => since(c.updatedAt))
      .sort(compareBy((c) => (sort === 'updated' ? `${c.updatedAt}|${String(c.id).padStart(12, '0')}` : c.id), sort ? direction(ctx, 'desc') : 'asc'));
    return list(comments, (c) => ser.issueComment(ctx.ser, repo, c));
  });

  repoRoute(router, '/issues/{issue_number}', (ctx, repo) => {
    const issue = repo.metadata.issues.find((i) => String(i.number) === ctx.params.issue_number);
    return issue ? json(ser.issue(ctx.ser, repo, issue)) : notFound();
  });

  repoRoute(router, '/issues/{issue_number}/comments', (ctx, repo) => {
    const number = Number(ctx.params.issue_number);
    if (!repo.metadata.issues.some((i) => i.number === number)) return notFound();
    const since = sinceFilter(ctx);
    const comments = repo.metadata.issueComments.filter((c) => c.issueNumber === number && since(c.updatedAt)).sort(compareBy((c) => c.id, 'asc'));
    return list(comments, (c) => ser.issueComment(ctx.ser, repo, c));
  });

  repoRoute(router, '/pulls', (ctx, repo) => {
    const state = queryParam(ctx, 'state') ?? 'open';
    const base = queryParam(ctx, 'base');
    const head = queryParam(ctx, 'head');
    const sort = queryParam(ctx, 'sort') ?? 'created';
    const pulls = repo.metadata.issues
      .filter((i) => i.pull !== null && (state === 'all' || i.state === state))
      .filter((i) => base === undefined || i.pull?.baseRef === base)
      .filter((i) => head === undefined || `${repo.owner.login}:${i.pull?.headRef ?? ''}`.toLowerCase() === head.toLowerCase())
      .sort(compareBy<IssueRecord>((i) => (sort === 'updated' ? i.updatedAt : i.number), direction(ctx, sort === 'created' ? 'desc' : 'asc')));
    return listAsync(pulls, async (page) => {
      const out: unknown[] = [];
      for (const p of page) out.push(ser.pullRequest(ctx.ser, repo, p, await pullShas(ctx, repo, p)));
      return out;
    });
  });

  repoRoute(router, '/pulls/comments', (ctx, repo) => {
    const since = sinceFilter(ctx);
    const sort = queryParam(ctx, 'sort');
    const comments = repo.metadata.reviewComments
      .filter((c) => since(c.updatedAt))
      .sort(compareBy((c) => (sort === 'updated' ? `${c.updatedAt}|${String(c.id).padStart(12, '0')}` : c.id), sort ? direction(ctx, 'desc') : 'asc'));
    return listAsync(comments, async (page) => {
      const out: unknown[] = [];
      for (const c of page) out.push(ser.reviewComment(ctx.ser, repo, c, (await pullShasByNumber(ctx, repo, c.pullNumber)).head));
      return out;
    });
  });

  repoRoute(router, '/pulls/{pull_number}', async (ctx, repo) => {
    const pull = findPull(repo, ctx.params.pull_number);
    return pull ? json(ser.pullRequest(ctx.ser, repo, pull, await pullShas(ctx, repo, pull))) : notFound();
  });

  repoRoute(router, '/pulls/{pull_number}/comments', async (ctx, repo) => {
    const pull = findPull(repo, ctx.params.pull_number);
    if (!pull) return notFound();
    const head = (await pullShas(ctx, repo, pull)).head;
    const since = sinceFilter(ctx);
    const comments = repo.metadata.reviewComments.filter((c) => c.pullNumber === pull.number && since(c.updatedAt)).sort(compareBy((c) => c.id, 'asc'));
    return list(comments, (c) => ser.reviewComment(ctx.ser, repo, c, head));
  });

  repoRoute(router, '/pulls/{pull_number}/reviews', async (ctx, repo) => {
    const pull = findPull(repo, ctx.params.pull_number);
    if (!pull) return notFound();
    const head = (await pullShas(ctx, repo, pull)).head;
    const reviews = repo.metadata.reviews.filter((r) => r.pullNumber === pull.number).sort(compareBy((r) => r.id, 'asc'));
    return list(reviews, (r) => ser.review(ctx.ser, repo, r, head));
  });

  repoRoute(router, '/releases', (ctx, repo) => {
    const releases = [...repo.metadata.releases].sort(compareBy((r) => r.createdAt, 'desc'));
    return list(releases, (r) => ser.release(ctx.ser, repo, r));
  });

  repoRoute(router, '/releases/{release_id}/assets', (ctx, repo) => {
    const release = repo.metadata.releases.find((r) => String(r.id) === ctx.params.release_id);
    return release ? list(release.assets, (a) => ser.releaseAsset(ctx.ser, repo, release, a)) : notFound();
  });

  repoRoute(router, '/releases/assets/{asset_id}', (ctx, repo) => {
    for (const release of repo.metadata.releases) {
      const asset = release.assets.find((a) => String(a.id) === ctx.params.asset_id);
      if (!asset) continue;
      // GitHub redirects to its download host; serving the bytes here keeps the download on loopback.
      const accept = String(ctx.headers.accept ?? '');
      if (accept.includes('application/octet-stream')) return { kind: 'bytes', body: asset.content, contentType: 'application/octet-stream', fileName: asset.name };
      return json(ser.releaseAsset(ctx.ser, repo, release, asset));
    }
    return notFound();
  });

  repoRoute(router, '/labels', (ctx, repo) => list(repo.metadata.labels, (l) => ser.label(ctx.ser, repo, l)));

  repoRoute(router, '/milestones', (ctx, repo) => {
    const state = queryParam(ctx, 'state') ?? 'open';
    const sort = queryParam(ctx, 'sort') ?? 'due_on';
    const milestones = repo.metadata.milestones
      .filter((m) => state === 'all' || m.state === state)
      .sort(compareBy((m) => (sort === 'completeness' ? m.number : (m.dueOn ?? '')), direction(ctx, 'asc')));
    return list(milestones, (m) => ser.milestone(ctx.ser, repo, m));
  });

  repoRoute(router, '/branches', async (ctx, repo) => {
    const refs = (await ctx.refs.refs(repo.gitDir)).filter((r) => r.name.startsWith('refs/heads/'));
    const branches = refs.map((r) => ({ name: r.name.slice('refs/heads/'.length), sha: r.sha })).sort(compareBy((b) => b.name, 'asc'));
    return list(branches, (b) => ser.branch(ctx.ser, repo, b.name, b.sha));
  });

  repoRoute(router, '/tags', async (ctx, repo) => {
    const refs = (await ctx.refs.refs(repo.gitDir)).filter((r) => r.name.startsWith('refs/tags/'));
    const tags = refs.map((r) => ({ name: r.name.slice('refs/tags/'.length), commit: r.peeled ?? r.sha, object: r.sha })).sort(compareBy((t) => t.name, 'desc'));
    return list(tags, (t) => ser.tag(ctx.ser, repo, t.name, t.commit, t.object));
  });
}

function findPull(repo: SimRepository, number: string): IssueRecord | undefined {
  return repo.metadata.issues.find((i) => i.pull !== null && String(i.number) === number);
}

async function pullShas(ctx: RestContext, repo: SimRepository, pull: IssueRecord): Promise<ser.PullShas> {
  const head = await ctx.refs.ref(repo.gitDir, `refs/pull/${pull.number}/head`);
  const base = await ctx.refs.ref(repo.gitDir, `refs/heads/${pull.pull?.baseRef ?? repo.defaultBranch}`);
  return { head: head?.sha ?? null, base: base?.sha ?? null };
}

async function pullShasByNumber(ctx: RestContext, repo: SimRepository, number: number): Promise<ser.PullShas> {
  const pull = repo.metadata.issues.find((i) => i.number === number);
  return pull ? pullShas(ctx, repo, pull) : { head: null, base: null };
}
