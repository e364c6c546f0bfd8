import type { World } from '../../core/world/world';
import type {
  IssueCommentRecord, IssueRecord, ReleaseAssetRecord, ReviewCommentRecord, SimOrganization, SimRepository, SimUser,
} from '../../core/world/world-model';
import type { BitbucketCloudViewer } from './bitbucket-cloud-auth';
import type { BitbucketCloudDirectory } from './bitbucket-cloud-directory';
import { commentParentOf } from './bitbucket-cloud-metadata';

/** Where links point: the API (`…/2.0`) and the web/git host, both as the client reached them. */
export interface CloudSerializerContext {
  world: World;
  directory: BitbucketCloudDirectory;
  api: string;
  web: string;
  viewer: BitbucketCloudViewer;
}

type Json = Record<string, unknown>;

const href = (url: string): { href: string } => ({ href: url });

/** Bitbucket's timestamps: microseconds and an explicit offset. */
export function bbDate(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

function rendered(raw: string): Json {
  return { type: 'rendered', raw, markup: 'markdown', html: `<p>${raw.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>` };
}

export function account(ctx: CloudSerializerContext, user: SimUser | undefined): Json | null {
  if (!user) return null;
  const uuid = ctx.directory.userUuid(user);
  return {
    display_name: user.name,
    links: {
      self: href(`${ctx.api}/users/${encodeURIComponent(uuid)}`),
      avatar: href(`${ctx.web}/account/${user.login}/avatar/`),
      html: href(`${ctx.web}/${encodeURIComponent(uuid)}/`),
    },
    type: 'user',
    uuid,
    account_id: ctx.directory.accountId(user),
    nickname: user.login,
  };
}

export function accountById(ctx: CloudSerializerContext, id: number): Json | null {
  return account(ctx, ctx.world.userById(id));
}

/** `GET /2.0/user`: the account behind an API token. */
export function currentUser(ctx: CloudSerializerContext, user: SimUser): Json {
  return {
    ...account(ctx, user),
    created_on: bbDate(user.createdAt),
    username: user.login,
    is_staff: false,
    account_status: 'active',
    has_2fa_enabled: null,
    location: null,
  };
}

export function workspace(ctx: CloudSerializerContext, org: SimOrganization): Json {
  const info = ctx.directory.workspace(org.login);
  const base = `${ctx.api}/workspaces/${org.login}`;
  return {
    type: 'workspace',
    uuid: info?.uuid ?? '',
    name: org.name,
    slug: org.login,
    is_private: true,
    is_privacy_enforced: false,
    forking_mode: 'allow_forks',
    created_on: bbDate(org.createdAt),
    updated_on: bbDate(org.createdAt),
    links: {
      avatar: href(`${ctx.web}/workspaces/${org.login}/avatar/`),
      html: href(`${ctx.web}/${org.login}/`),
      members: href(`${base}/members`),
      owners: href(`${base}/members?q=permission%3D%22owner%22`),
      projects: href(`${base}/projects`),
      repositories: href(`${ctx.api}/repositories/${org.login}`),
      snippets: href(`${ctx.api}/snippets/${org.login}`),
      self: href(base),
    },
  };
}

function workspaceRef(ctx: CloudSerializerContext, repo: SimRepository): Json {
  const org = ctx.world.organization(repo.owner.login);
  return {
    type: 'workspace',
    uuid: ctx.directory.workspace(repo.owner.login)?.uuid ?? '',
    name: org?.name ?? repo.owner.login,
    slug: repo.owner.login,
    links: { avatar: href(`${ctx.web}/workspaces/${repo.owner.login}/avatar/`), html: href(`${ctx.web}/${repo.owner.login}/`), self: href(`${ctx.api}/workspaces/${repo.owner.login}`) },
  };
}

export function repositoryRef(ctx: CloudSerializerContext, repo: SimRepository): Json {
  const self = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}`;
  return {
    type: 'repository',
    full_name: `${repo.owner.login}/${repo.name}`,
    links: { self: href(self), html: href(`${ctx.web}/${repo.owner.login}/${repo.name}`), avatar: href(`${ctx.web}/${repo.owner.login}/${repo.name}/avatar/32/`) },
    name: repo.name,
    uuid: ctx.directory.repositoryUuid(repo),
  };
}

export function repository(ctx: CloudSerializerContext, repo: SimRepository, sizeBytes: number): Json {
  const self = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}`;
  const project = ctx.directory.project(repo);
  const web = new URL(ctx.web);
  const user = ctx.viewer.kind === 'user' ? `${ctx.viewer.user.login}@` : '';
  return {
    type: 'repository',
    full_name: `${repo.owner.login}/${repo.name}`,
    links: {
      self: href(self),
      html: href(`${ctx.web}/${repo.owner.login}/${repo.name}`),
      avatar: href(`${ctx.web}/${repo.owner.login}/${repo.name}/avatar/32/`),
      pullrequests: href(`${self}/pullrequests`),
      commits: href(`${self}/commits`),
      forks: href(`${self}/forks`),
      watchers: href(`${self}/watchers`),
      branches: href(`${self}/refs/branches`),
      tags: href(`${self}/refs/tags`),
      downloads: href(`${self}/downloads`),
      source: href(`${self}/src`),
      clone: [
        { name: 'https', href: `${web.protocol}//${user}${web.host}/${repo.owner.login}/${repo.name}.git` },
        { name: 'ssh', href: `git@${web.hostname}:${repo.owner.login}/${repo.name}.git` },
      ],
      hooks: href(`${self}/hooks`),
    },
    name: repo.name,
    slug: repo.name.toLowerCase(),
    description: repo.description,
    scm: 'git',
    website: null,
    owner: {
      display_name: ctx.world.organization(repo.owner.login)?.name ?? repo.owner.login,
      links: { self: href(`${ctx.api}/workspaces/${repo.owner.login}`), html: href(`${ctx.web}/${repo.owner.login}/`) },
      type: 'team',
      uuid: ctx.directory.workspace(repo.owner.login)?.uuid ?? '',
      username: repo.owner.login,
    },
    workspace: workspaceRef(ctx, repo),
    is_private: repo.private,
    project: {
      type: 'project',
      key: project.key,
      uuid: project.uuid,
      name: project.name,
      links: { self: href(`${ctx.api}/workspaces/${repo.owner.login}/projects/${project.key}`), html: href(`${ctx.web}/${repo.owner.login}/workspace/projects/${project.key}`) },
    },
    fork_policy: repo.private ? 'no_public_forks' : 'allow_forks',
    created_on: bbDate(repo.createdAt),
    updated_on: bbDate(repo.updatedAt),
    size: sizeBytes,
    language: '',
    uuid: ctx.directory.repositoryUuid(repo),
    mainbranch: { name: repo.defaultBranch, type: 'branch' },
    parent: null,
    has_issues: ctx.directory.traitsOf(repo).hasIssues,
    has_wiki: repo.wikiGitDir !== null,
  };
}

export type PullState = 'OPEN' | 'MERGED' | 'DECLINED';

export function pullState(issue: IssueRecord): PullState {
  if (issue.state === 'open') return 'OPEN';
  return issue.pull?.merged ? 'MERGED' : 'DECLINED';
}

export interface PullInput {
  issue: IssueRecord;
  sourceSha: string | null;
  destinationSha: string | null;
  commentCount: number;
  reviews: Array<{ authorId: number; state: string; submittedAt: string }>;
}

export function pullRequest(ctx: CloudSerializerContext, repo: SimRepository, input: PullInput): Json {
  const { issue } = input;
  const pull = issue.pull;
  const self = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}/pullrequests/${issue.number}`;
  const state = pullState(issue);
  const endpoint = (branch: string, sha: string | null): Json => ({
    branch: { name: branch },
    commit: sha ? { type: 'commit', hash: sha.slice(0, 12), links: { self: href(`${ctx.api}/repositories/${repo.owner.login}/${repo.name}/commit/${sha.slice(0, 12)}`) } } : null,
    repository: repositoryRef(ctx, repo),
  });
  const reviewerIds = [...new Set(input.reviews.map((r) => r.authorId))];
  return {
    comment_count: input.commentCount,
    task_count: 0,
    type: 'pullrequest',
    id: issue.number,
    title: issue.title,
    description: issue.body,
    rendered: { title: rendered(issue.title), description: rendered(issue.body) },
    state,
    draft: pull?.draft ?? false,
    merge_commit: state === 'MERGED' && input.destinationSha ? { type: 'commit', hash: input.destinationSha.slice(0, 12) } : null,
    close_source_branch: false,
    closed_by: state === 'OPEN' ? null : accountById(ctx, issue.authorId),
    author: accountById(ctx, issue.authorId),
    reason: '',
    created_on: bbDate(issue.createdAt),
    updated_on: bbDate(issue.updatedAt),
    destination: endpoint(pull?.baseRef ?? repo.defaultBranch, input.destinationSha),
    source: endpoint(pull?.headRef ?? '', input.sourceSha),
    links: {
      self: href(self),
      html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/pull-requests/${issue.number}`),
      commits: href(`${self}/commits`),
      approve: href(`${self}/approve`),
      diff: href(`${self}/diff`),
      diffstat: href(`${self}/diffstat`),
      comments: href(`${self}/comments`),
      activity: href(`${self}/activity`),
      merge: href(`${self}/merge`),
      decline: href(`${self}/decline`),
      statuses: href(`${self}/statuses`),
    },
    summary: rendered(issue.body),
    reviewers: reviewerIds.map((id) => accountById(ctx, id)),
    participants: input.reviews.map((r) => ({
      type: 'participant',
      user: accountById(ctx, r.authorId),
      role: 'REVIEWER',
      approved: r.state === 'APPROVED',
      state: r.state === 'APPROVED' ? 'approved' : r.state === 'CHANGES_REQUESTED' ? 'changes_requested' : null,
      participated_on: bbDate(r.submittedAt),
    })),
  };
}

/** A pull request comment: a conversation comment, or an inline one (from a review comment) with `inline`. */
export function pullRequestComment(ctx: CloudSerializerContext, repo: SimRepository, issue: IssueRecord, comment: IssueCommentRecord | ReviewCommentRecord): Json {
  const pullUrl = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}/pullrequests/${issue.number}`;
  const inline = 'path' in comment;
  return {
    id: comment.id,
    created_on: bbDate(comment.createdAt),
    updated_on: bbDate(comment.updatedAt),
    content: rendered(comment.body),
    user: accountById(ctx, comment.authorId),
    deleted: false,
    ...(inline ? { inline: { from: null, to: comment.line, path: comment.path } } : {}),
    ...replyTo(ctx, repo, `${pullUrl}/comments`, comment),
    type: 'pullrequest_comment',
    links: { self: href(`${pullUrl}/comments/${comment.id}`), html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/pull-requests/${issue.number}/_/diff#comment-${comment.id}`) },
    pullrequest: { type: 'pullrequest', id: issue.number, title: issue.title, links: { self: href(pullUrl), html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/pull-requests/${issue.number}`) } },
    pending: false,
  };
}

/** Bitbucket's issue kinds; the world keeps a kind other than `bug` as a label of that name. */
export const ISSUE_KINDS = ['bug', 'enhancement', 'proposal', 'task'] as const;

export function issueKind(record: IssueRecord): (typeof ISSUE_KINDS)[number] {
  return ISSUE_KINDS.find((k) => k !== 'bug' && record.labelNames.includes(k)) ?? 'bug';
}

/** `parent` of a reply, as Bitbucket links it. */
function replyTo(_ctx: CloudSerializerContext, _repo: SimRepository, commentsUrl: string, comment: IssueCommentRecord | ReviewCommentRecord): Json {
  const parent = commentParentOf(comment);
  return parent === null ? {} : { parent: { id: parent, links: { self: href(`${commentsUrl}/${parent}`) } } };
}

export function issue(ctx: CloudSerializerContext, repo: SimRepository, record: IssueRecord): Json {
  const self = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}/issues/${record.number}`;
  const milestone = record.milestoneNumber === null ? null : repo.metadata.milestones.find((m) => m.number === record.milestoneNumber);
  return {
    type: 'issue',
    id: record.number,
    repository: repositoryRef(ctx, repo),
    links: {
      self: href(self),
      html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/issues/${record.number}`),
      comments: href(`${self}/comments`),
      attachments: href(`${self}/attachments`),
      watch: href(`${self}/watch`),
      vote: href(`${self}/vote`),
    },
    title: record.title,
    reporter: accountById(ctx, record.authorId),
    assignee: record.assigneeIds.length > 0 ? accountById(ctx, record.assigneeIds[0]) : null,
    created_on: bbDate(record.createdAt),
    updated_on: bbDate(record.updatedAt),
    edited_on: null,
    state: record.state === 'open' ? 'open' : 'resolved',
    kind: issueKind(record),
    priority: 'major',
    milestone: milestone ? { name: milestone.title, id: milestone.id, type: 'milestone', links: { self: href(`${ctx.api}/repositories/${repo.owner.login}/${repo.name}/milestones/${milestone.id}`) } } : null,
    version: null,
    component: null,
    votes: 0,
    content: rendered(record.body),
  };
}

export function issueComment(ctx: CloudSerializerContext, repo: SimRepository, record: IssueRecord, comment: IssueCommentRecord): Json {
  const issueUrl = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}/issues/${record.number}`;
  return {
    ...replyTo(ctx, repo, `${issueUrl}/comments`, comment),
    type: 'issue_comment',
    id: comment.id,
    created_on: bbDate(comment.createdAt),
    updated_on: bbDate(comment.updatedAt),
    content: rendered(comment.body),
    user: accountById(ctx, comment.authorId),
    issue: { type: 'issue', id: record.number, repository: repositoryRef(ctx, repo), links: { self: href(issueUrl) }, title: record.title },
    links: { self: href(`${issueUrl}/comments/${comment.id}`), html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/issues/${record.number}#comment-${comment.id}`) },
  };
}

export interface TagInfo {
  name: string;
  commit: string;
  commitDate: string;
  commitMessage: string;
  commitAuthor: string;
  annotated: { message: string; date: string; tagger: string } | null;
}

export function tag(ctx: CloudSerializerContext, repo: SimRepository, info: TagInfo): Json {
  const self = `${ctx.api}/repositories/${repo.owner.login}/${repo.name}`;
  return {
    name: info.name,
    target: {
      type: 'commit',
      hash: info.commit,
      date: bbDate(info.commitDate),
      author: { type: 'author', raw: info.commitAuthor },
      message: info.commitMessage,
      links: { self: href(`${self}/commit/${info.commit}`), html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/commits/${info.commit}`) },
      repository: repositoryRef(ctx, repo),
    },
    ...(info.annotated ? { message: info.annotated.message, date: bbDate(info.annotated.date), tagger: { type: 'author', raw: info.annotated.tagger } } : { message: null, date: null, tagger: null }),
    type: 'tag',
    links: { self: href(`${self}/refs/tags/${info.name}`), commits: href(`${self}/commits/${info.name}`), html: href(`${ctx.web}/${repo.owner.login}/${repo.name}/commits/tag/${info.name}`) },
  };
}

export function download(ctx: CloudSerializerContext, repo: SimRepository, asset: ReleaseAssetRecord): Json {
  return {
    name: asset.name,
    links: { self: href(`${ctx.api}/repositories/${repo.owner.login}/${repo.name}/downloads/${encodeURIComponent(asset.name)}`) },
    downloads: 0,
    created_on: bbDate(asset.createdAt),
    user: accountById(ctx, asset.uploaderId),
    type: 'download',
    size: asset.content.length,
  };
}

export function errorBody(message: string, detail?: unknown): Json {
  return { type: 'error', error: detail === undefined ? { message } : { message, detail } };
}
