import type { SimRepository } from '../../../core/world/world-model';
import { nodeId, simpleUser } from './accounts';
import type { Json, SerializerContext } from './serializer-context';

export interface RepositoryPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export function repository(ctx: SerializerContext, repo: SimRepository, permissions: RepositoryPermissions | null, full: boolean): Json {
  const full_name = `${repo.owner.login}/${repo.name}`;
  const api = `${ctx.api}/repos/${full_name}`;
  const ownerEntity = repo.owner.kind === 'organization' ? ctx.world.organization(repo.owner.login) : ctx.world.user(repo.owner.login);
  const owner = ownerEntity ? simpleUser(ctx, ownerEntity, repo.owner.kind === 'organization' ? 'Organization' : 'User') : null;
  const openIssues = repo.metadata.issues.filter((i) => i.state === 'open').length;
  const body: Json = {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name,
    private: repo.private,
    owner,
    html_url: `${ctx.web}/${full_name}`,
    description: repo.description,
    fork: false,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt,
    git_url: `${ctx.web.replace(/^https?/, 'git')}/${full_name}.git`,
    ssh_url: `git@${new URL(ctx.web).host}:${full_name}.git`,
    clone_url: `${ctx.web}/${full_name}.git`,
    svn_url: `${ctx.web}/${full_name}`,
    homepage: null,
    size: 1,
    stargazers_count: 0,
    watchers_count: 0,
    language: 'Markdown',
    has_issues: true,
    has_projects: true,
    has_downloads: true,
    has_wiki: repo.wikiGitDir !== null,
    has_pages: false,
    has_discussions: false,
    forks_count: 0,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: openIssues,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [],
    visibility: repo.private ? 'private' : 'public',
    forks: 0,
    open_issues: openIssues,
    watchers: 0,
    default_branch: repo.defaultBranch,
  };
  if (permissions) body.permissions = permissions;
  if (full) {
    Object.assign(body, {
      temp_clone_token: repo.private ? '' : null,
      network_count: 0,
      subscribers_count: 0,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      allow_auto_merge: false,
      delete_branch_on_merge: false,
    });
    if (repo.owner.kind === 'organization') {
      const org = ctx.world.organization(repo.owner.login);
      if (org) body.organization = simpleUser(ctx, org, 'Organization');
    }
  }
  return body;
}

export function branch(ctx: SerializerContext, repo: SimRepository, name: string, sha: string): Json {
  return {
    name,
    commit: { sha, url: `${ctx.api}/repos/${repo.owner.login}/${repo.name}/commits/${sha}` },
    protected: false,
  };
}

export function tag(ctx: SerializerContext, repo: SimRepository, name: string, commitSha: string, tagObjectSha: string): Json {
  const api = `${ctx.api}/repos/${repo.owner.login}/${repo.name}`;
  return {
    name,
    zipball_url: `${api}/zipball/refs/tags/${name}`,
    tarball_url: `${api}/tarball/refs/tags/${name}`,
    commit: { sha: commitSha, url: `${api}/commits/${commitSha}` },
    node_id: nodeId('Ref', Number.parseInt(tagObjectSha.slice(0, 8), 16)),
  };
}
