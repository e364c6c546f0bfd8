import { hasAnyRef } from '../../core/world/empty-repository';
import type { IssueCommentRecord, IssueRecord, LabelRecord, MilestoneRecord, ReleaseRecord, ReviewCommentRecord } from '../../core/world/world-model';
import { type GitlabGroup, type GitlabProject, type GitlabToken, type GitlabUser, type GitlabWorld, projectFullPath, projectLastActivityAt } from './gitlab-model';

/** Where links point: the origin the client used (web and git) and the API under it. */
export interface GitlabSerializerContext {
  gl: GitlabWorld;
  web: string;
  api: string;
}

type Json = Record<string, unknown>;

/** GitLab's timestamps carry milliseconds. */
export function gitlabTime(iso: string): string;
export function gitlabTime(iso: string | null): string | null;
export function gitlabTime(iso: string | null): string | null {
  return iso === null ? null : new Date(iso).toISOString();
}

function day(iso: string | null): string | null {
  return iso === null ? null : iso.slice(0, 10);
}

export function userBasic(ctx: GitlabSerializerContext, user: GitlabUser | undefined): Json | null {
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    state: 'active',
    locked: false,
    avatar_url: `https://www.gravatar.com/avatar/${user.id}?s=80&d=identicon`,
    web_url: `${ctx.web}/${user.username}`,
  };
}

function userById(ctx: GitlabSerializerContext, id: number): Json | null {
  return userBasic(ctx, ctx.gl.user(id));
}

/** `GET /user`: the token's user; bots carry `bot: true`. */
export function currentUser(ctx: GitlabSerializerContext, user: GitlabUser): Json {
  return {
    ...userBasic(ctx, user),
    created_at: gitlabTime(user.createdAt),
    bio: '',
    location: '',
    public_email: null,
    skype: '',
    linkedin: '',
    twitter: '',
    discord: '',
    website_url: '',
    organization: '',
    job_title: '',
    pronouns: null,
    bot: user.bot,
    work_information: null,
    local_time: null,
    last_sign_in_at: user.bot ? null : gitlabTime(user.createdAt),
    confirmed_at: gitlabTime(user.createdAt),
    last_activity_on: day(user.createdAt),
    email: user.email,
    theme_id: 1,
    color_scheme_id: 1,
    projects_limit: user.bot ? 0 : 100000,
    current_sign_in_at: null,
    identities: [],
    can_create_group: !user.bot,
    can_create_project: !user.bot,
    two_factor_enabled: false,
    external: false,
    private_profile: false,
    commit_email: user.email,
  };
}

/** `GET /personal_access_tokens/self` (project and group access tokens answer with the same shape). */
export function tokenSelf(token: GitlabToken, active: boolean): Json {
  return {
    id: token.id,
    name: token.name,
    revoked: token.revoked,
    created_at: gitlabTime(token.createdAt),
    description: null,
    scopes: [...token.scopes],
    user_id: token.userId,
    last_used_at: null,
    active,
    expires_at: token.expiresAt,
  };
}

export function namespaceOf(ctx: GitlabSerializerContext, group: GitlabGroup): Json {
  return {
    id: group.id,
    name: group.name,
    path: group.path,
    kind: 'group',
    full_path: group.fullPath,
    parent_id: group.parentId,
    avatar_url: null,
    web_url: `${ctx.web}/groups/${group.fullPath}`,
  };
}

export function group(ctx: GitlabSerializerContext, g: GitlabGroup): Json {
  return {
    id: g.id,
    web_url: `${ctx.web}/groups/${g.fullPath}`,
    name: g.name,
    path: g.path,
    description: g.description,
    visibility: g.visibility,
    share_with_group_lock: false,
    require_two_factor_authentication: false,
    two_factor_grace_period: 48,
    project_creation_level: 'developer',
    auto_devops_enabled: null,
    subgroup_creation_level: 'maintainer',
    emails_disabled: false,
    emails_enabled: true,
    mentions_disabled: null,
    lfs_enabled: true,
    default_branch: null,
    default_branch_protection: 2,
    avatar_url: null,
    request_access_enabled: true,
    full_name: g.fullName,
    full_path: g.fullPath,
    created_at: gitlabTime(g.createdAt),
    parent_id: g.parentId,
    organization_id: 1,
    shared_runners_setting: 'enabled',
    ldap_cn: null,
    ldap_access: null,
    marked_for_deletion_on: null,
    wiki_access_level: 'enabled',
  };
}

export function project(ctx: GitlabSerializerContext, p: GitlabProject, options: { simple?: boolean } = {}): Json {
  const { repo } = p;
  const fullPath = projectFullPath(p);
  const simple: Json = {
    id: p.id,
    description: repo.description,
    name: repo.name,
    name_with_namespace: `${p.group.fullName} / ${repo.name}`,
    path: repo.name,
    path_with_namespace: fullPath,
    created_at: gitlabTime(repo.createdAt),
    default_branch: repo.defaultBranch,
    tag_list: [],
    topics: [],
    ssh_url_to_repo: `ssh://git@${new URL(ctx.web).host}/${fullPath}.git`,
    http_url_to_repo: `${ctx.web}/${fullPath}.git`,
    web_url: `${ctx.web}/${fullPath}`,
    readme_url: `${ctx.web}/${fullPath}/-/blob/${repo.defaultBranch}/README.md`,
    forks_count: 0,
    avatar_url: null,
    star_count: 0,
    last_activity_at: gitlabTime(projectLastActivityAt(p)),
    namespace: namespaceOf(ctx, p.group),
  };
  if (options.simple) return simple;
  const hasWiki = repo.wikiGitDir !== null || p.wikiEnabled === true;
  return {
    ...simple,
    container_registry_image_prefix: `registry.example.com/${fullPath}`,
    _links: {
      self: `${ctx.api}/projects/${p.id}`,
      issues: `${ctx.api}/projects/${p.id}/issues`,
      merge_requests: `${ctx.api}/projects/${p.id}/merge_requests`,
      repo_branches: `${ctx.api}/projects/${p.id}/repository/branches`,
      labels: `${ctx.api}/projects/${p.id}/labels`,
      events: `${ctx.api}/projects/${p.id}/events`,
      members: `${ctx.api}/projects/${p.id}/members`,
      cluster_agents: `${ctx.api}/projects/${p.id}/cluster_agents`,
    },
    packages_enabled: true,
    empty_repo: !hasAnyRef(repo.gitDir),
    archived: false,
    visibility: p.visibility,
    resolve_outdated_diff_discussions: false,
    container_registry_enabled: true,
    container_registry_access_level: 'enabled',
    issues_enabled: true,
    merge_requests_enabled: true,
    wiki_enabled: hasWiki,
    jobs_enabled: true,
    snippets_enabled: true,
    service_desk_enabled: false,
    can_create_merge_request_in: true,
    issues_access_level: 'enabled',
    repository_access_level: 'enabled',
    merge_requests_access_level: 'enabled',
    forking_access_level: 'enabled',
    wiki_access_level: hasWiki ? 'enabled' : 'disabled',
    builds_access_level: 'enabled',
    snippets_access_level: 'enabled',
    pages_access_level: 'private',
    analytics_access_level: 'enabled',
    releases_access_level: 'enabled',
    lfs_enabled: true,
    creator_id: [...p.group.members.keys()][0] ?? null,
    import_status: 'none',
    open_issues_count: repo.metadata.issues.filter((i) => i.pull === null && i.state === 'open').length,
    updated_at: gitlabTime(repo.updatedAt),
    ci_default_git_depth: 20,
    public_jobs: true,
    shared_with_groups: [],
    only_allow_merge_if_pipeline_succeeds: false,
    request_access_enabled: true,
    remove_source_branch_after_merge: true,
    printing_merge_request_link_enabled: true,
    merge_method: 'merge',
    squash_option: 'default_off',
    repository_object_format: 'sha1',
  };
}

/** GitLab reports `opened` where the generator says `open`. */
function state(s: 'open' | 'closed'): string {
  return s === 'open' ? 'opened' : 'closed';
}

function milestoneRef(ctx: GitlabSerializerContext, p: GitlabProject, number: number | null): Json | null {
  const m = number === null ? undefined : p.repo.metadata.milestones.find((x) => x.number === number);
  return m ? projectMilestone(ctx, p, m) : null;
}

export function issue(ctx: GitlabSerializerContext, p: GitlabProject, i: IssueRecord): Json {
  const fullPath = projectFullPath(p);
  const notes = notesOf(p, i.number).length;
  const assignees = i.assigneeIds.map((id) => userById(ctx, id)).filter((u) => u !== null);
  return {
    id: i.id,
    iid: i.number,
    project_id: p.id,
    title: i.title,
    description: i.body,
    state: state(i.state),
    created_at: gitlabTime(i.createdAt),
    updated_at: gitlabTime(i.updatedAt),
    closed_at: gitlabTime(i.closedAt),
    closed_by: i.closedAt === null ? null : userById(ctx, i.authorId),
    labels: [...i.labelNames],
    milestone: milestoneRef(ctx, p, i.milestoneNumber),
    assignees,
    author: userById(ctx, i.authorId),
    type: 'ISSUE',
    assignee: assignees[0] ?? null,
    user_notes_count: notes,
    merge_requests_count: 0,
    upvotes: 0,
    downvotes: 0,
    due_date: null,
    confidential: false,
    discussion_locked: null,
    issue_type: 'issue',
    web_url: `${ctx.web}/${fullPath}/-/issues/${i.number}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    task_completion_status: { count: 0, completed_count: 0 },
    blocking_issues_count: 0,
    has_tasks: false,
    references: { short: `#${i.number}`, relative: `#${i.number}`, full: `${fullPath}#${i.number}` },
    severity: 'UNKNOWN',
    _links: {
      self: `${ctx.api}/projects/${p.id}/issues/${i.number}`,
      notes: `${ctx.api}/projects/${p.id}/issues/${i.number}/notes`,
      award_emoji: `${ctx.api}/projects/${p.id}/issues/${i.number}/award_emoji`,
      project: `${ctx.api}/projects/${p.id}`,
      closed_as_duplicate_of: null,
    },
  };
}

export interface MergeRequestShas {
  head: string | null;
  base: string | null;
}

function mergeRequestState(i: IssueRecord): string {
  if (i.state === 'open') return 'opened';
  return i.pull?.merged ? 'merged' : 'closed';
}

export function mergeRequest(ctx: GitlabSerializerContext, p: GitlabProject, i: IssueRecord, shas: MergeRequestShas): Json {
  const pull = i.pull;
  const fullPath = projectFullPath(p);
  const assignees = i.assigneeIds.map((id) => userById(ctx, id)).filter((u) => u !== null);
  const merged = pull?.merged === true;
  return {
    id: pull?.id ?? i.id,
    iid: i.number,
    project_id: p.id,
    title: pull?.draft ? `Draft: ${i.title}` : i.title,
    description: i.body,
    state: mergeRequestState(i),
    created_at: gitlabTime(i.createdAt),
    updated_at: gitlabTime(i.updatedAt),
    merged_by: merged ? userById(ctx, i.authorId) : null,
    merge_user: merged ? userById(ctx, i.authorId) : null,
    merged_at: gitlabTime(pull?.mergedAt ?? null),
    closed_by: i.state === 'closed' && !merged ? userById(ctx, i.authorId) : null,
    closed_at: i.state === 'closed' && !merged ? gitlabTime(i.closedAt) : null,
    target_branch: pull?.baseRef ?? p.repo.defaultBranch,
    source_branch: pull?.headRef ?? '',
    user_notes_count: notesOf(p, i.number).length,
    upvotes: 0,
    downvotes: 0,
    author: userById(ctx, i.authorId),
    assignees,
    assignee: assignees[0] ?? null,
    reviewers: [],
    source_project_id: p.id,
    target_project_id: p.id,
    labels: [...i.labelNames],
    draft: pull?.draft ?? false,
    work_in_progress: pull?.draft ?? false,
    milestone: milestoneRef(ctx, p, i.milestoneNumber),
    merge_when_pipeline_succeeds: false,
    merge_status: 'can_be_merged',
    detailed_merge_status: i.state === 'open' ? 'mergeable' : 'not_open',
    sha: shas.head,
    merge_commit_sha: null,
    squash_commit_sha: null,
    discussion_locked: null,
    should_remove_source_branch: null,
    force_remove_source_branch: true,
    prepared_at: gitlabTime(i.createdAt),
    reference: `!${i.number}`,
    references: { short: `!${i.number}`, relative: `!${i.number}`, full: `${fullPath}!${i.number}` },
    web_url: `${ctx.web}/${fullPath}/-/merge_requests/${i.number}`,
    time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
    squash: false,
    squash_on_merge: false,
    task_completion_status: { count: 0, completed_count: 0 },
    has_conflicts: false,
    blocking_discussions_resolved: true,
    diff_refs: { base_sha: shas.base, head_sha: shas.head, start_sha: shas.base },
  };
}

/** A note GitLab would list under an issue or merge request: conversation comments, and diff notes on merge requests. */
export type NoteSource = { kind: 'comment'; record: IssueCommentRecord } | { kind: 'diff'; record: ReviewCommentRecord };

/** Every note of issue or merge request `number`, oldest first. */
export function notesOf(p: GitlabProject, number: number): NoteSource[] {
  const comments: NoteSource[] = p.repo.metadata.issueComments.filter((c) => c.issueNumber === number).map((record) => ({ kind: 'comment', record }));
  const diffs: NoteSource[] = p.repo.metadata.reviewComments.filter((c) => c.pullNumber === number).map((record) => ({ kind: 'diff', record }));
  return [...comments, ...diffs].sort((a, b) => (a.record.createdAt === b.record.createdAt ? a.record.id - b.record.id : a.record.createdAt < b.record.createdAt ? -1 : 1));
}

export function note(ctx: GitlabSerializerContext, p: GitlabProject, noteable: IssueRecord, source: NoteSource, shas: MergeRequestShas): Json {
  const isMergeRequest = noteable.pull !== null;
  const base: Json = {
    id: source.record.id,
    type: source.kind === 'diff' ? 'DiffNote' : null,
    body: source.record.body,
    attachment: null,
    author: userById(ctx, source.record.authorId),
    created_at: gitlabTime(source.record.createdAt),
    updated_at: gitlabTime(source.record.updatedAt),
    system: false,
    noteable_id: isMergeRequest ? (noteable.pull?.id ?? noteable.id) : noteable.id,
    noteable_type: isMergeRequest ? 'MergeRequest' : 'Issue',
    project_id: p.id,
    resolvable: source.kind === 'diff',
    confidential: false,
    internal: false,
    imported: false,
    imported_from: 'none',
    noteable_iid: noteable.number,
    commands_changes: {},
  };
  if (source.kind !== 'diff') return base;
  return {
    ...base,
    resolved: false,
    resolved_by: null,
    resolved_at: null,
    position: {
      base_sha: shas.base,
      start_sha: shas.base,
      head_sha: shas.head,
      old_path: source.record.path,
      new_path: source.record.path,
      position_type: 'text',
      old_line: null,
      new_line: source.record.line,
      line_range: null,
    },
  };
}

export function releaseLink(ctx: GitlabSerializerContext, p: GitlabProject, release: ReleaseRecord, assetId: number): Json {
  const asset = release.assets.find((a) => a.id === assetId);
  const secret = p.uploadSecrets.get(assetId);
  const name = asset?.name ?? '';
  const created = p.links?.get(assetId);
  const url =
    created?.url ??
    (secret ? `${ctx.web}/${projectFullPath(p)}/uploads/${secret}/${name}` : `https://downloads.example.com/${projectFullPath(p)}/${release.tagName}/${name}`);
  return {
    id: assetId,
    name,
    url,
    direct_asset_url: `${ctx.web}/${projectFullPath(p)}/-/releases/${release.tagName}/downloads/${name}`,
    link_type: created?.linkType ?? 'package',
  };
}

export function release(ctx: GitlabSerializerContext, p: GitlabProject, r: ReleaseRecord, commit: { id: string; createdAt: string } | null): Json {
  const fullPath = projectFullPath(p);
  const links = r.assets.map((a) => releaseLink(ctx, p, r, a.id));
  const archive = (format: string): Json => ({ format, url: `${ctx.web}/${fullPath}/-/archive/${r.tagName}/${p.repo.name}-${r.tagName}.${format}` });
  return {
    name: r.name,
    tag_name: r.tagName,
    description: r.body,
    created_at: gitlabTime(r.createdAt),
    released_at: gitlabTime(r.publishedAt),
    upcoming_release: false,
    author: userById(ctx, r.authorId),
    commit: commit ? { id: commit.id, short_id: commit.id.slice(0, 8), created_at: gitlabTime(commit.createdAt), parent_ids: [] } : null,
    milestones: [],
    commit_path: commit ? `/${fullPath}/-/commit/${commit.id}` : null,
    tag_path: `/${fullPath}/-/tags/${r.tagName}`,
    assets: {
      count: links.length + 4,
      sources: ['zip', 'tar.gz', 'tar.bz2', 'tar'].map(archive),
      links,
    },
    evidences: [],
    _links: {
      closed_issues_url: `${ctx.web}/${fullPath}/-/issues?release_tag=${r.tagName}&scope=all&state=closed`,
      closed_merge_requests_url: `${ctx.web}/${fullPath}/-/merge_requests?release_tag=${r.tagName}&scope=all&state=closed`,
      merged_merge_requests_url: `${ctx.web}/${fullPath}/-/merge_requests?release_tag=${r.tagName}&scope=all&state=merged`,
      opened_issues_url: `${ctx.web}/${fullPath}/-/issues?release_tag=${r.tagName}&scope=all&state=opened`,
      opened_merge_requests_url: `${ctx.web}/${fullPath}/-/merge_requests?release_tag=${r.tagName}&scope=all&state=opened`,
      self: `${ctx.web}/${fullPath}/-/releases/${r.tagName}`,
    },
  };
}

export function label(l: LabelRecord, counts: { openIssues: number; closedIssues: number; openMergeRequests: number } | null, projectLabel: boolean): Json {
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    description_html: l.description,
    text_color: '#FFFFFF',
    color: l.color.startsWith('#') ? l.color : `#${l.color}`,
    subscribed: false,
    priority: null,
    is_project_label: projectLabel,
    archived: false,
    ...(counts ? { open_issues_count: counts.openIssues, closed_issues_count: counts.closedIssues, open_merge_requests_count: counts.openMergeRequests } : {}),
  };
}

function milestoneCommon(ctx: GitlabSerializerContext, m: MilestoneRecord, webBase: string): Json {
  const due = day(m.dueOn);
  return {
    id: m.id,
    iid: m.number,
    title: m.title,
    description: m.description,
    state: m.state === 'open' ? 'active' : 'closed',
    created_at: gitlabTime(m.createdAt),
    updated_at: gitlabTime(m.updatedAt),
    due_date: due,
    start_date: day(m.createdAt),
    expired: due !== null && Date.parse(`${due}T00:00:00Z`) < Date.now(),
    web_url: `${ctx.web}/${webBase}/-/milestones/${m.number}`,
  };
}

export function projectMilestone(ctx: GitlabSerializerContext, p: GitlabProject, m: MilestoneRecord): Json {
  const { id, iid, ...rest } = milestoneCommon(ctx, m, projectFullPath(p));
  return { id, iid, project_id: p.id, ...rest };
}

export function groupMilestone(ctx: GitlabSerializerContext, g: GitlabGroup, m: MilestoneRecord): Json {
  const { id, iid, ...rest } = milestoneCommon(ctx, m, `groups/${g.fullPath}`);
  return { id, iid, group_id: g.id, ...rest };
}

export function member(ctx: GitlabSerializerContext, user: GitlabUser, accessLevel: number): Json {
  return {
    ...userBasic(ctx, user),
    access_level: accessLevel,
    created_at: gitlabTime(user.createdAt),
    created_by: null,
    expires_at: null,
    membership_state: 'active',
  };
}
