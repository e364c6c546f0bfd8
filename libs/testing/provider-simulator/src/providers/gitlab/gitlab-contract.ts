/**
 * GitLab publishes no complete machine-readable description of its REST API, so this is the
 * hand-written contract of the endpoints the simulator serves and RepoVault uses, from GitLab's
 * REST documentation (docs.gitlab.com/api/…). A test checks that the simulator serves exactly these
 * routes with these fields, and the adapter's tests check that every request it makes is one of
 * them with documented query parameters.
 */
export interface GitlabContractEndpoint {
  method: 'GET';
  /** Path template from the instance root (`{name}` parameters; `:id` is a numeric id or URL-encoded full path). */
  path: string;
  /** Query parameters GitLab documents for it (those a backup may use). */
  query: readonly string[];
  /** Fields of the object (or of each item of a list) a client may rely on. */
  fields: readonly string[];
  response: 'object' | 'list' | 'bytes';
  /** Offset: `page`/`per_page` with `link`, `x-next-page`, `x-total`…; keyset: `link` rel=next only. */
  pagination: 'none' | 'offset' | 'offset-or-keyset';
  /** Budgets it draws from besides the per-user and per-IP API throttles (those send no headers). */
  extraBudget: 'groups-projects' | 'projects-list' | 'groups' | null;
  /** Token scopes accepted: `any` (every scope), `read_user` (also `read_api`, `api`), `read_api` (also `api`). */
  scopes: 'any' | 'read_user' | 'read_api';
  docs: string;
}

const OFFSET = ['page', 'per_page'] as const;
const KEYSET = ['pagination', 'id_after', 'id_before', 'order_by', 'sort'] as const;
const PROJECT_LIST_QUERY = [...OFFSET, ...KEYSET, 'archived', 'visibility', 'search', 'simple', 'min_access_level', 'statistics', 'with_shared', 'owned'] as const;
const PROJECT_FIELDS = [
  'id', 'name', 'path', 'path_with_namespace', 'default_branch', 'visibility', 'archived', 'http_url_to_repo', 'web_url', 'last_activity_at',
  'wiki_enabled', 'namespace',
] as const;
const GROUP_FIELDS = ['id', 'name', 'path', 'full_path', 'full_name', 'visibility', 'parent_id', 'web_url'] as const;
const USER_BASIC = ['id', 'username', 'name', 'state', 'web_url'] as const;
const MILESTONE_FIELDS = ['id', 'iid', 'title', 'description', 'state', 'created_at', 'updated_at', 'due_date', 'web_url'] as const;

export const GITLAB_CONTRACT: readonly GitlabContractEndpoint[] = [
  {
    method: 'GET', path: '/api/v4/user', query: [], response: 'object', pagination: 'none', extraBudget: null, scopes: 'read_user',
    fields: [...USER_BASIC, 'bot', 'created_at'], docs: 'https://docs.gitlab.com/api/users/#get-the-current-user',
  },
  {
    method: 'GET', path: '/api/v4/personal_access_tokens/self', query: [], response: 'object', pagination: 'none', extraBudget: null, scopes: 'any',
    fields: ['id', 'name', 'revoked', 'created_at', 'scopes', 'user_id', 'active', 'expires_at'],
    docs: 'https://docs.gitlab.com/api/personal_access_tokens/#get-details-on-a-personal-access-token',
  },
  {
    method: 'GET', path: '/oauth/token/info', query: [], response: 'object', pagination: 'none', extraBudget: null, scopes: 'any',
    fields: ['resource_owner_id', 'scope', 'expires_in', 'application', 'created_at'], docs: 'https://docs.gitlab.com/api/oauth2/#retrieve-the-token-information',
  },
  {
    method: 'GET', path: '/api/v4/groups', query: [...OFFSET, 'all_available', 'top_level_only', 'search', 'order_by', 'sort'], response: 'list',
    pagination: 'offset', extraBudget: 'groups', scopes: 'read_api', fields: GROUP_FIELDS, docs: 'https://docs.gitlab.com/api/groups/#list-groups',
  },
  {
    method: 'GET', path: '/api/v4/groups/{id}', query: ['with_projects'], response: 'object', pagination: 'none', extraBudget: null, scopes: 'read_api',
    fields: GROUP_FIELDS, docs: 'https://docs.gitlab.com/api/groups/#get-a-single-group',
  },
  {
    method: 'GET', path: '/api/v4/groups/{id}/projects', query: [...OFFSET, 'include_subgroups', 'archived', 'visibility', 'search', 'simple', 'order_by', 'sort', 'min_access_level', 'with_shared', 'owned'],
    response: 'list', pagination: 'offset', extraBudget: 'groups-projects', scopes: 'read_api', fields: PROJECT_FIELDS,
    docs: 'https://docs.gitlab.com/api/groups/#list-projects',
  },
  {
    method: 'GET', path: '/api/v4/groups/{id}/subgroups', query: [...OFFSET, 'all_available', 'order_by', 'sort', 'search'], response: 'list',
    pagination: 'offset', extraBudget: null, scopes: 'read_api', fields: GROUP_FIELDS, docs: 'https://docs.gitlab.com/api/groups/#list-subgroups',
  },
  {
    method: 'GET', path: '/api/v4/groups/{id}/members/all/{user_id}', query: [], response: 'object', pagination: 'none', extraBudget: null, scopes: 'read_api',
    fields: [...USER_BASIC, 'access_level'], docs: 'https://docs.gitlab.com/api/members/#get-a-member-of-a-group-or-project-including-inherited-and-invited-members',
  },
  {
    method: 'GET', path: '/api/v4/groups/{id}/labels', query: [...OFFSET, 'include_ancestor_groups', 'include_descendant_groups', 'only_group_labels', 'search', 'with_counts'],
    response: 'list', pagination: 'offset', extraBudget: null, scopes: 'read_api', fields: ['id', 'name', 'color', 'description'],
    docs: 'https://docs.gitlab.com/api/group_labels/',
  },
  {
    method: 'GET', path: '/api/v4/groups/{id}/milestones', query: [...OFFSET, 'state', 'title', 'updated_after', 'updated_before', 'include_ancestors'],
    response: 'list', pagination: 'offset', extraBudget: null, scopes: 'read_api', fields: [...MILESTONE_FIELDS, 'group_id'],
    docs: 'https://docs.gitlab.com/api/group_milestones/',
  },
  {
    method: 'GET', path: '/api/v4/projects', query: [...PROJECT_LIST_QUERY, 'membership'], response: 'list', pagination: 'offset-or-keyset',
    extraBudget: 'projects-list', scopes: 'read_api', fields: PROJECT_FIELDS, docs: 'https://docs.gitlab.com/api/projects/#list-all-projects',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}', query: ['statistics'], response: 'object', pagination: 'none', extraBudget: null, scopes: 'read_api',
    fields: PROJECT_FIELDS, docs: 'https://docs.gitlab.com/api/projects/#get-a-single-project',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/issues',
    query: [...OFFSET, 'scope', 'state', 'updated_after', 'updated_before', 'created_after', 'created_before', 'order_by', 'sort', 'labels'],
    response: 'list', pagination: 'offset', extraBudget: null, scopes: 'read_api',
    fields: ['id', 'iid', 'project_id', 'title', 'description', 'state', 'created_at', 'updated_at', 'closed_at', 'labels', 'milestone', 'author', 'assignees', 'user_notes_count', 'web_url'],
    docs: 'https://docs.gitlab.com/api/issues/#list-project-issues',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/issues/{issue_iid}/notes', query: [...OFFSET, 'sort', 'order_by'], response: 'list', pagination: 'offset',
    extraBudget: null, scopes: 'read_api', fields: ['id', 'type', 'body', 'author', 'created_at', 'updated_at', 'system', 'noteable_id', 'noteable_type', 'noteable_iid'],
    docs: 'https://docs.gitlab.com/api/notes/#list-project-issue-notes',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/merge_requests',
    query: [...OFFSET, 'scope', 'state', 'updated_after', 'updated_before', 'created_after', 'created_before', 'order_by', 'sort', 'source_branch', 'target_branch', 'view'],
    response: 'list', pagination: 'offset', extraBudget: null, scopes: 'read_api',
    fields: ['id', 'iid', 'project_id', 'title', 'description', 'state', 'created_at', 'updated_at', 'merged_at', 'source_branch', 'target_branch', 'author', 'sha', 'user_notes_count', 'web_url'],
    docs: 'https://docs.gitlab.com/api/merge_requests/#list-project-merge-requests',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes', query: [...OFFSET, 'sort', 'order_by'], response: 'list',
    pagination: 'offset', extraBudget: null, scopes: 'read_api', fields: ['id', 'type', 'body', 'author', 'created_at', 'updated_at', 'system', 'noteable_id', 'noteable_type', 'noteable_iid'],
    docs: 'https://docs.gitlab.com/api/notes/#list-all-merge-request-notes',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/releases', query: [...OFFSET, 'order_by', 'sort'], response: 'list', pagination: 'offset', extraBudget: null,
    scopes: 'read_api', fields: ['name', 'tag_name', 'description', 'created_at', 'released_at', 'author', 'commit', 'assets'],
    docs: 'https://docs.gitlab.com/api/releases/#list-releases',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/labels', query: [...OFFSET, 'with_counts', 'include_ancestor_groups', 'search'], response: 'list',
    pagination: 'offset', extraBudget: null, scopes: 'read_api', fields: ['id', 'name', 'color', 'description', 'is_project_label'],
    docs: 'https://docs.gitlab.com/api/labels/#list-labels',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/milestones', query: [...OFFSET, 'state', 'title', 'updated_after', 'updated_before', 'include_ancestors'],
    response: 'list', pagination: 'offset', extraBudget: null, scopes: 'read_api', fields: [...MILESTONE_FIELDS, 'project_id'],
    docs: 'https://docs.gitlab.com/api/milestones/#list-project-milestones',
  },
  {
    method: 'GET', path: '/api/v4/projects/{id}/uploads/{secret}/{filename}', query: [], response: 'bytes', pagination: 'none', extraBudget: null,
    scopes: 'read_api', fields: [], docs: 'https://docs.gitlab.com/api/project_markdown_uploads/#download-an-uploaded-file-by-secret-and-filename',
  },
];

export interface GitlabContractMatch {
  endpoint: GitlabContractEndpoint;
  params: Record<string, string>;
  /** Query parameters the endpoint does not document. */
  unknownQuery: string[];
}

function compile(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([a-z_]+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${escaped}$`);
}

const COMPILED = GITLAB_CONTRACT.map((endpoint) => ({ endpoint, pattern: compile(endpoint.path), literals: endpoint.path.split('/').filter((s) => s && !s.startsWith('{')).length }));

/**
 * The contract endpoint a request belongs to (the match with most literal segments), or null. The
 * path is taken from the instance root; `apiRoot` strips a relative URL root of a self-managed
 * instance (e.g. `/gitlab`).
 */
export function matchGitlabContract(method: string, url: string | URL, apiRoot = ''): GitlabContractMatch | null {
  const target = typeof url === 'string' ? new URL(url) : url;
  const path = apiRoot && target.pathname.startsWith(apiRoot) ? target.pathname.slice(apiRoot.length) : target.pathname;
  let best: { endpoint: GitlabContractEndpoint; params: Record<string, string>; literals: number } | null = null;
  for (const { endpoint, pattern, literals } of COMPILED) {
    if (endpoint.method !== method.toUpperCase()) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    if (!best || literals > best.literals) best = { endpoint, params: { ...(match.groups ?? {}) }, literals };
  }
  if (!best) return null;
  const unknownQuery = [...new Set(target.searchParams.keys())].filter((name) => !best.endpoint.query.includes(name));
  return { endpoint: best.endpoint, params: best.params, unknownQuery };
}
