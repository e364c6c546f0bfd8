import {
  type AdapterTarget, type Capabilities, type CredentialIdentity, type MetadataCounts, type MetadataExporter, type MetadataSink, type OrganizationAccess,
  type ProviderAdapter, type UpstreamRepository, UpstreamNotFoundError,
} from '@repovault/providers/core';
import { gitlabBudgetHost } from './gitlab-api-base';
import { GitLabClient, gitlabId, type GitLabQuery } from './gitlab-client';
import { callGitLab } from './gitlab-errors';
import { exportGitLabGroupMetadata, exportGitLabMetadata, type GitLabMetadataExportOptions } from './gitlab-metadata-export';
import { gitlabRateLimitFrom } from './gitlab-rate-limit';
import { hasGitLabScope, type GitLabTokenKind } from './gitlab-tokens';

/** What GitLab said about the token itself, next to the provider-neutral identity. */
export interface GitLabTokenDetails {
  /** the token's name in GitLab (null for OAuth tokens) */
  name: string | null;
  /** access tokens: `YYYY-MM-DD` (the token stops working at 00:00 UTC that day); OAuth: an instant; null: no expiry */
  expiresAt: string | null;
  active: boolean;
  revoked: boolean;
  /** the user is a bot (project and group access tokens) */
  bot: boolean;
}

export interface GitLabCredentialIdentity extends CredentialIdentity {
  provider: 'gitlab';
  tokenKind: GitLabTokenKind;
  scopes: string[];
  gitlab: GitLabTokenDetails;
}

export function isGitLabIdentity(identity: CredentialIdentity): identity is GitLabCredentialIdentity {
  return identity.provider === 'gitlab' && typeof (identity as Partial<GitLabCredentialIdentity>).gitlab === 'object';
}

export interface GitLabAdapterOptions {
  /** whether `listRepositories(group)` includes the projects of subgroups (`include_subgroups=true`). Default true. */
  includeSubgroups?: boolean;
  /**
   * Whether project exports include the labels and milestones of the project's groups (their own
   * data, which issues and merge requests refer to): organizations with `includeGroups`.
   */
  includeGroupData?: boolean;
}

interface GitLabProject {
  id: number;
  name: string;
  path: string;
  path_with_namespace: string;
  default_branch?: string | null;
  visibility?: string;
  archived?: boolean;
  last_activity_at?: string | null;
  wiki_enabled?: boolean;
  wiki_access_level?: string;
  http_url_to_repo?: string;
  statistics?: { repository_size?: number };
}

interface TokenSelf {
  name: string;
  scopes: string[];
  user_id: number;
  expires_at: string | null;
  active: boolean;
  revoked: boolean;
}

interface OAuthTokenInfo {
  resource_owner_id: number;
  scope?: string[];
  scopes?: string[];
  expires_in: number | null;
  created_at: number;
}

interface GitLabUser {
  id: number;
  username: string;
  bot?: boolean;
}

/** Scopes that let `GET /user` answer. */
const USER_SCOPES = ['api', 'read_api', 'read_user'];

/**
 * GitLab.com and self-managed GitLab over gitbeaker; every request goes through the target's fetch.
 * Organizations are groups, named by full path (`acme`, `acme/platform`); repositories are projects,
 * named by their full path (`path_with_namespace`).
 */
export class GitLabAdapter implements ProviderAdapter, MetadataExporter {
  readonly kind = 'gitlab' as const;
  private readonly client: GitLabClient;
  private readonly host: string;

  constructor(
    target: AdapterTarget,
    private readonly options: GitLabAdapterOptions = {},
  ) {
    this.client = new GitLabClient(target);
    this.host = gitlabBudgetHost(target.apiBaseUrl);
  }

  /**
   * Who the token is: `GET /personal_access_tokens/self` (any scope may call it: scopes, expiry and
   * user id of personal, project and group access tokens), `/oauth/token/info` when that says it is
   * no access token, then `GET /user` (login, and `bot` for project and group access tokens) when
   * the scopes allow it.
   */
  async identify(): Promise<GitLabCredentialIdentity> {
    let userId: number;
    let scopes: string[];
    let details: GitLabTokenDetails;
    let headers: Record<string, string>;
    let oauth = false;
    try {
      const self = await callGitLab(() => this.client.tokens.show({ showExpanded: true }), 'the token');
      const data = self.data as unknown as TokenSelf;
      ({ headers } = self);
      userId = data.user_id;
      scopes = [...data.scopes];
      details = { name: data.name, expiresAt: data.expires_at, active: data.active, revoked: data.revoked, bot: false };
    } catch (error) {
      if (!(error instanceof UpstreamNotFoundError)) throw error;
      // Not a personal, project or group access token: an OAuth token describes itself here.
      const info = await this.client.get<OAuthTokenInfo>(`${this.client.instanceRoot}/oauth/token/info`, {}, 'the OAuth token');
      ({ headers } = info);
      oauth = true;
      userId = info.body.resource_owner_id;
      scopes = [...(info.body.scope ?? info.body.scopes ?? [])];
      const expiresAt = info.body.expires_in === null ? null : new Date(Date.now() + info.body.expires_in * 1000).toISOString();
      details = { name: null, expiresAt, active: true, revoked: false, bot: false };
    }

    let login = `user-${userId}`;
    let tokenKind: GitLabTokenKind = oauth ? 'oauth' : 'access-token';
    if (scopes.some((s) => USER_SCOPES.includes(s))) {
      const me = await callGitLab(() => this.client.users.showCurrentUser({ showExpanded: true }), 'the token user');
      const user = me.data as unknown as GitLabUser;
      ({ headers } = me);
      login = user.username;
      details.bot = user.bot === true;
      if (!oauth) tokenKind = !details.bot ? 'personal' : /^group_\d+_bot/.test(user.username) ? 'group' : /^project_\d+_bot/.test(user.username) ? 'project' : 'access-token';
    }
    return {
      provider: 'gitlab',
      host: this.host,
      key: `gitlab:${this.host}:user:${userId}`,
      login,
      accountId: String(userId),
      tokenKind,
      scopes,
      rateLimit: gitlabRateLimitFrom(headers),
      gitlab: details,
    };
  }

  /** The group exists for this identity and it is a member (inherited memberships count) with at least Reporter access. */
  async checkOrganizationAccess(group: string, identity: CredentialIdentity): Promise<OrganizationAccess> {
    let canonicalName: string;
    let groupId: number;
    try {
      const found = (await callGitLab(() => this.client.groups.show(group, { withProjects: false }), `group ${group}`)) as unknown as { id: number; full_path: string };
      canonicalName = found.full_path;
      groupId = found.id;
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return { hasAccess: false };
      throw error;
    }
    try {
      const member = (await callGitLab(() => this.client.groupMembers.show(groupId, Number(identity.accountId), { includeInherited: true }), `membership in ${group}`)) as unknown as { access_level: number };
      return { hasAccess: member.access_level >= 20, canonicalName };
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return { hasAccess: false, canonicalName };
      throw error;
    }
  }

  listRepositories(group: string): AsyncIterable<UpstreamRepository> {
    return this.listGroupProjects(group, { includeSubgroups: this.options.includeSubgroups ?? true });
  }

  /**
   * The group's own projects (and its subgroups' with `includeSubgroups`), oldest first: ordering by id
   * keeps offset pages stable while projects are created during the walk. Projects merely shared with
   * the group are left out.
   */
  async *listGroupProjects(group: string, options: { includeSubgroups: boolean }): AsyncIterable<UpstreamRepository> {
    const query: GitLabQuery = { include_subgroups: options.includeSubgroups, with_shared: false, order_by: 'id', sort: 'asc', per_page: 100 };
    for await (const page of this.client.pages<GitLabProject>(`groups/${gitlabId(group)}/projects`, query, `projects of group ${group}`)) {
      for (const project of page.items) yield toUpstream(project);
    }
  }

  /** Every project the identity is a member of (keyset pagination): what a project access token can back up. */
  async *listMembershipProjects(): AsyncIterable<UpstreamRepository> {
    const query: GitLabQuery = { membership: true, pagination: 'keyset', order_by: 'id', sort: 'asc', per_page: 100 };
    for await (const page of this.client.pages<GitLabProject>('projects', query, 'projects of the identity')) {
      for (const project of page.items) yield toUpstream(project);
    }
  }

  /** `read_repository` (or `write_repository`, `api`) allows git; `read_api` (or `api`) allows metadata. */
  capabilitiesOf(identity: CredentialIdentity): Capabilities {
    const scopes = identity.scopes ?? [];
    return { git: hasGitLabScope(scopes, 'read_repository'), metadata: hasGitLabScope(scopes, 'read_api') };
  }

  /**
   * A project's issues, merge requests, notes, releases and their links, labels and milestones (see
   * `exportGitLabMetadata` for the mapping), streamed page by page. `updatedSince` (GitLab's
   * `updated_after`) makes an incremental export: GitLab ignores `If-None-Match` on its REST API.
   */
  readonly incremental = true;

  exportMetadata(projectFullPath: string, options: GitLabMetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
    return exportGitLabMetadata(this.client, projectFullPath, { ...options, includeGroupData: this.options.includeGroupData ?? false }, sink);
  }

  /** A group's own labels and milestones (projects' exports hold only their own). */
  exportGroupMetadata(group: string, options: GitLabMetadataExportOptions, sink: MetadataSink): Promise<MetadataCounts> {
    return exportGitLabGroupMetadata(this.client, group, options, sink);
  }
}

function toUpstream(project: GitLabProject): UpstreamRepository {
  const wiki = project.wiki_access_level !== undefined ? project.wiki_access_level !== 'disabled' : (project.wiki_enabled ?? false);
  return {
    providerId: String(project.id),
    fullName: project.path_with_namespace,
    name: project.path,
    defaultBranch: project.default_branch ?? null,
    // internal projects need credentials too
    private: project.visibility !== 'public',
    archived: project.archived ?? false,
    sizeKb: Math.round((project.statistics?.repository_size ?? 0) / 1024),
    pushedAt: project.last_activity_at ?? null,
    hasWiki: wiki,
    cloneUrl: project.http_url_to_repo ?? '',
  };
}
