import type { World } from '../../core/world/world';
import type { IssueCommentRecord, IssueRecord, ReviewCommentRecord, SimOrganization, SimRepository, SimUser } from '../../core/world/world-model';
import type { BitbucketDcViewer } from './bitbucket-dc-auth';
import type { BitbucketDcDirectory, BitbucketDcServiceUser } from './bitbucket-dc-directory';
import { repliesOf, type DcActivity } from './bitbucket-dc-metadata';

export interface DcSerializerContext {
  world: World;
  directory: BitbucketDcDirectory;
  /** The instance's base URL as the client reached it (no context path). */
  base: string;
  viewer: BitbucketDcViewer;
}

type Json = Record<string, unknown>;

const links = (href: string): { self: Array<{ href: string }> } => ({ self: [{ href }] });

export function user(ctx: DcSerializerContext, account: SimUser | undefined): Json | null {
  if (!account) return null;
  return {
    name: account.login,
    emailAddress: account.email,
    active: true,
    displayName: account.name,
    id: account.id,
    slug: account.login.toLowerCase(),
    type: 'NORMAL',
    links: links(`${ctx.base}/users/${account.login.toLowerCase()}`),
  };
}

export function serviceUser(ctx: DcSerializerContext, bot: BitbucketDcServiceUser): Json {
  return { name: bot.name, active: true, displayName: bot.displayName, id: bot.id, slug: bot.name, type: 'SERVICE', links: links(`${ctx.base}/bots/${bot.name}`) };
}

export function userById(ctx: DcSerializerContext, id: number): Json | null {
  return user(ctx, ctx.world.userById(id));
}

export function project(ctx: DcSerializerContext, org: SimOrganization): Json {
  return {
    key: org.login,
    id: ctx.directory.projectId(org.login),
    name: org.name,
    description: org.description,
    public: false,
    type: 'NORMAL',
    links: links(`${ctx.base}/projects/${org.login}`),
  };
}

export function repository(ctx: DcSerializerContext, repo: SimRepository): Json {
  const org = ctx.world.organization(repo.owner.login);
  const base = new URL(ctx.base);
  const slug = repo.name.toLowerCase();
  const key = repo.owner.login.toLowerCase();
  const userPart = ctx.viewer.kind === 'user' ? `${ctx.viewer.user.login}@` : '';
  return {
    slug,
    id: repo.id,
    name: repo.name,
    description: repo.description,
    hierarchyId: repo.contentSeed.slice(0, 20),
    scmId: 'git',
    state: 'AVAILABLE',
    statusMessage: 'Available',
    forkable: true,
    project: org ? project(ctx, org) : { key: repo.owner.login },
    public: !repo.private,
    archived: false,
    links: {
      clone: [
        { href: `${base.protocol}//${userPart}${base.host}/scm/${key}/${slug}.git`, name: 'http' },
        { href: `ssh://git@${base.hostname}:7999/${key}/${slug}.git`, name: 'ssh' },
      ],
      self: [{ href: `${ctx.base}/projects/${repo.owner.login}/repos/${slug}/browse` }],
    },
  };
}

export function pullState(issue: IssueRecord): 'OPEN' | 'MERGED' | 'DECLINED' {
  if (issue.state === 'open') return 'OPEN';
  return issue.pull?.merged ? 'MERGED' : 'DECLINED';
}

const ms = (iso: string): number => Date.parse(iso);

export interface DcPullInput {
  issue: IssueRecord;
  fromSha: string | null;
  toSha: string | null;
  commentCount: number;
}

export function pullRequest(ctx: DcSerializerContext, repo: SimRepository, input: DcPullInput): Json {
  const { issue } = input;
  const state = pullState(issue);
  const ref = (branch: string, sha: string | null): Json => ({
    id: `refs/heads/${branch}`,
    displayId: branch,
    latestCommit: sha,
    type: 'BRANCH',
    repository: repository(ctx, repo),
  });
  const reviews = repo.metadata.reviews.filter((r) => r.pullNumber === issue.number);
  const latest = new Map<number, string>();
  for (const review of [...reviews].sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : 1))) latest.set(review.authorId, review.state);
  return {
    id: issue.number,
    version: 0,
    title: issue.title,
    description: issue.body,
    state,
    open: state === 'OPEN',
    closed: state !== 'OPEN',
    draft: issue.pull?.draft ?? false,
    createdDate: ms(issue.createdAt),
    updatedDate: ms(issue.updatedAt),
    ...(issue.closedAt ? { closedDate: ms(issue.closedAt) } : {}),
    fromRef: ref(issue.pull?.headRef ?? '', input.fromSha),
    toRef: ref(issue.pull?.baseRef ?? repo.defaultBranch, input.toSha),
    locked: false,
    author: { user: userById(ctx, issue.authorId), role: 'AUTHOR', approved: false, status: 'UNAPPROVED' },
    reviewers: [...latest].map(([id, verdict]) => ({
      user: userById(ctx, id),
      role: 'REVIEWER',
      approved: verdict === 'APPROVED',
      status: verdict === 'APPROVED' ? 'APPROVED' : verdict === 'CHANGES_REQUESTED' ? 'NEEDS_WORK' : 'UNAPPROVED',
    })),
    participants: [],
    properties: { commentCount: input.commentCount, openTaskCount: 0, resolvedTaskCount: 0 },
    links: links(`${ctx.base}/projects/${repo.owner.login}/repos/${repo.name.toLowerCase()}/pull-requests/${issue.number}`),
  };
}

const REVIEW_ACTIONS: Record<string, string> = { APPROVED: 'APPROVED', CHANGES_REQUESTED: 'REVIEWED', COMMENTED: 'REVIEW_FINISHED' };

export function activity(ctx: DcSerializerContext, repo: SimRepository, item: DcActivity): Json {
  const base = { id: item.id, createdDate: ms(item.at) };
  switch (item.kind) {
    case 'opened':
      return { ...base, user: userById(ctx, item.userId), action: 'OPENED' };
    case 'closed':
      return { ...base, user: userById(ctx, item.userId), action: item.merged ? 'MERGED' : 'DECLINED' };
    case 'review':
      return { ...base, user: userById(ctx, item.review.authorId), action: REVIEW_ACTIONS[item.review.state] ?? 'REVIEWED' };
    case 'comment': {
      const c = item.comment;
      const body = comment(ctx, repo, c);
      return { ...base, user: userById(ctx, c.authorId), action: 'COMMENTED', commentAction: 'ADDED', comment: body, ...(body.anchor ? { commentAnchor: body.anchor } : {}) };
    }
  }
}

/** A pull request comment (RestComment); inline ones carry their `anchor`. */
export function comment(ctx: DcSerializerContext, repo: SimRepository, c: IssueCommentRecord | ReviewCommentRecord): Json {
  const anchor = 'path' in c ? { line: c.line, lineType: 'ADDED', fileType: 'TO', path: c.path, diffType: 'EFFECTIVE', orphaned: false } : undefined;
  return {
    properties: { repositoryId: repo.id },
    id: c.id,
    version: 0,
    text: c.body,
    author: userById(ctx, c.authorId),
    createdDate: ms(c.createdAt),
    updatedDate: ms(c.updatedAt),
    comments: repliesOf(repo, c.id).map((reply) => comment(ctx, repo, reply)),
    tasks: [],
    severity: 'NORMAL',
    state: 'OPEN',
    ...(anchor ? { anchor } : {}),
  };
}

export interface DcTag {
  name: string;
  object: string;
  commit: string;
}

export function tag(info: DcTag): Json {
  return { id: `refs/tags/${info.name}`, displayId: info.name, type: 'TAG', latestCommit: info.commit, latestChangeset: info.commit, hash: info.object === info.commit ? null : info.object };
}

export function errors(message: string, exceptionName: string | null = null): Json {
  return { errors: [{ context: null, message, exceptionName }] };
}
