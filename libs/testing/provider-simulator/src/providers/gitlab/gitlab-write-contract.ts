/**
 * The hand-written contract of GitLab's write endpoints the simulator serves and RepoVault's
 * restore uses (GitLab publishes no machine-readable description; see gitlab-contract.ts for the
 * reads). Each entry names the parameters GitLab documents that a restore may send; the restorer's
 * tests check every write it makes against this list.
 */
export interface GitlabWriteContractEndpoint {
  method: 'POST' | 'PUT';
  /** Path template from the instance root (`:id` is a numeric id or URL-encoded full path). */
  path: string;
  /** Documented parameters (JSON body or form) a client may send. */
  params: readonly string[];
  /** The status of a successful call. */
  status: 200 | 201;
  /** The role the caller needs on the project (or, for project creation, on the group). */
  role: 'guest' | 'reporter' | 'developer' | 'maintainer';
  docs: string;
}

const ISSUE_FIELDS = ['title', 'description', 'labels', 'milestone_id', 'assignee_ids', 'confidential', 'due_date'] as const;

export const GITLAB_WRITE_CONTRACT: readonly GitlabWriteContractEndpoint[] = [
  {
    method: 'POST', path: '/api/v4/projects', status: 201, role: 'developer',
    params: ['name', 'path', 'namespace_id', 'description', 'visibility', 'wiki_access_level', 'wiki_enabled', 'issues_access_level', 'issues_enabled', 'initialize_with_readme', 'lfs_enabled'],
    docs: 'https://docs.gitlab.com/api/projects/#create-a-project',
  },
  {
    method: 'PUT', path: '/api/v4/projects/{id}', status: 200, role: 'maintainer', params: ['default_branch', 'description', 'visibility'],
    docs: 'https://docs.gitlab.com/api/projects/#edit-a-project',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/labels', status: 201, role: 'reporter', params: ['name', 'color', 'description', 'priority'],
    docs: 'https://docs.gitlab.com/api/labels/#create-a-new-label',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/milestones', status: 201, role: 'reporter', params: ['title', 'description', 'due_date', 'start_date'],
    docs: 'https://docs.gitlab.com/api/milestones/#create-new-milestone',
  },
  {
    method: 'PUT', path: '/api/v4/projects/{id}/milestones/{milestone_id}', status: 200, role: 'reporter',
    params: ['title', 'description', 'due_date', 'start_date', 'state_event'], docs: 'https://docs.gitlab.com/api/milestones/#edit-milestone',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/issues', status: 201, role: 'guest', params: [...ISSUE_FIELDS, 'created_at'],
    docs: 'https://docs.gitlab.com/api/issues/#new-issue',
  },
  {
    method: 'PUT', path: '/api/v4/projects/{id}/issues/{issue_iid}', status: 200, role: 'reporter', params: [...ISSUE_FIELDS, 'state_event'],
    docs: 'https://docs.gitlab.com/api/issues/#edit-an-issue',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/issues/{issue_iid}/notes', status: 201, role: 'guest', params: ['body', 'created_at', 'internal'],
    docs: 'https://docs.gitlab.com/api/notes/#create-new-issue-note',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/merge_requests', status: 201, role: 'developer',
    params: ['source_branch', 'target_branch', 'title', 'description', 'labels', 'milestone_id', 'assignee_ids', 'remove_source_branch', 'squash'],
    docs: 'https://docs.gitlab.com/api/merge_requests/#create-mr',
  },
  {
    method: 'PUT', path: '/api/v4/projects/{id}/merge_requests/{merge_request_iid}', status: 200, role: 'developer',
    params: ['title', 'description', 'labels', 'milestone_id', 'assignee_ids', 'state_event', 'target_branch'],
    docs: 'https://docs.gitlab.com/api/merge_requests/#update-mr',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/merge_requests/{merge_request_iid}/notes', status: 201, role: 'guest', params: ['body', 'created_at', 'internal'],
    docs: 'https://docs.gitlab.com/api/notes/#create-new-merge-request-note',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/merge_requests/{merge_request_iid}/discussions', status: 201, role: 'guest', params: ['body', 'position', 'created_at'],
    docs: 'https://docs.gitlab.com/api/discussions/#create-a-new-thread-in-the-merge-request-diff',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/releases', status: 201, role: 'developer',
    params: ['tag_name', 'name', 'description', 'released_at', 'ref', 'assets', 'milestones', 'tag_message'],
    docs: 'https://docs.gitlab.com/api/releases/#create-a-release',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/releases/{tag_name}/assets/links', status: 201, role: 'developer',
    params: ['name', 'url', 'direct_asset_path', 'link_type'], docs: 'https://docs.gitlab.com/api/releases/links/#create-a-release-link',
  },
  {
    method: 'POST', path: '/api/v4/projects/{id}/uploads', status: 201, role: 'developer', params: ['file'],
    docs: 'https://docs.gitlab.com/api/project_markdown_uploads/#upload-a-file',
  },
];

export interface GitlabWriteContractMatch {
  endpoint: GitlabWriteContractEndpoint;
  params: Record<string, string>;
  /** Parameters sent that the endpoint does not document. */
  unknownParams: string[];
}

function compile(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([a-z_]+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${escaped}$`);
}

const COMPILED = GITLAB_WRITE_CONTRACT.map((endpoint) => ({ endpoint, pattern: compile(endpoint.path), literals: endpoint.path.split('/').filter((s) => s && !s.startsWith('{')).length }));

/** The write endpoint a request belongs to (most literal segments win), with the sent parameter names checked; null when none. */
export function matchGitlabWriteContract(method: string, url: string | URL, sentParams: readonly string[], apiRoot = ''): GitlabWriteContractMatch | null {
  const target = typeof url === 'string' ? new URL(url) : url;
  const path = apiRoot && target.pathname.startsWith(apiRoot) ? target.pathname.slice(apiRoot.length) : target.pathname;
  let best: { endpoint: GitlabWriteContractEndpoint; params: Record<string, string>; literals: number } | null = null;
  for (const { endpoint, pattern, literals } of COMPILED) {
    if (endpoint.method !== method.toUpperCase()) continue;
    const match = pattern.exec(path);
    if (match && (!best || literals > best.literals)) best = { endpoint, params: { ...(match.groups ?? {}) }, literals };
  }
  if (!best) return null;
  const names = [...new Set([...sentParams, ...target.searchParams.keys()])];
  return { endpoint: best.endpoint, params: best.params, unknownParams: names.filter((n) => !best.endpoint.params.includes(n)) };
}
