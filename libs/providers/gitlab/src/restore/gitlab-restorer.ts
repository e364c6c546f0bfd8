import {
  type AdapterTarget, type MetadataRestoreContext, type MetadataRestoreResult, type RepositoryCreateRequest, type RepositoryRestorer, type RestoreTargetRepository,
  RestoreForbiddenError, RestoreTargetExistsError, UpstreamNotFoundError,
} from '@repovault/providers/core';
import { GitLabClient } from '../gitlab-client';
import { GitLabForbiddenError, GitLabInsufficientScopeError } from '../gitlab-errors';
import type { GitLabRecord } from '../gitlab-metadata-export';
import { restoreGitLabMetadata } from './gitlab-metadata-restore';
import { GITLAB_RESTORE_CAPABILITIES } from './gitlab-restore-capabilities';
import { GitLabRestoreApi, GitLabWriteRefusedError } from './gitlab-restore-api';

const PUBLIC_RANK = 20;
const VISIBILITY_RANK: Record<string, number> = { private: 0, internal: 10, public: PUBLIC_RANK };

/** Restores into GitLab.com and self-managed GitLab (see RepositoryRestorer): projects in groups, named by full path. */
export class GitLabRestorer implements RepositoryRestorer {
  readonly kind = 'gitlab' as const;
  readonly capabilities = GITLAB_RESTORE_CAPABILITIES;
  private readonly api: GitLabRestoreApi;

  constructor(target: AdapterTarget) {
    this.api = new GitLabRestoreApi(new GitLabClient(target), target.fetch);
  }

  async findRepository(owner: string, name: string): Promise<RestoreTargetRepository | null> {
    try {
      return toTarget(await this.api.project(`${owner}/${name}`));
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return null;
      throw error;
    }
  }

  /**
   * An empty project in the group `owner` (no README): private unless the source was public (and
   * never more visible than the group allows), with a wiki when the snapshot's wiki is restored.
   */
  async createRepository(request: RepositoryCreateRequest): Promise<RestoreTargetRepository> {
    let group: GitLabRecord;
    try {
      group = await this.api.group(request.owner);
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) throw new RestoreForbiddenError(`GitLab has no group ${request.owner} that this credential can see: projects are restored into groups`);
      throw error;
    }
    const groupVisibility = typeof group['visibility'] === 'string' ? group['visibility'] : 'private';
    // never more visible than the group allows (GitLab refuses that)
    const visibility = request.private ? 'private' : (VISIBILITY_RANK[groupVisibility] ?? 0) >= PUBLIC_RANK ? 'public' : groupVisibility;
    try {
      const created = await this.api.createProject({
        name: request.name,
        path: request.name,
        namespace_id: group['id'],
        visibility,
        wiki_access_level: request.wiki ? 'enabled' : 'disabled',
        ...(request.issues ? { issues_access_level: 'enabled' } : {}),
        ...(request.description ? { description: request.description } : {}),
        initialize_with_readme: false,
      });
      return toTarget(created);
    } catch (error) {
      if (error instanceof GitLabWriteRefusedError && /has already been taken/i.test(error.message)) throw new RestoreTargetExistsError(`${request.owner}/${request.name}`);
      if (error instanceof GitLabForbiddenError || error instanceof GitLabInsufficientScopeError) {
        throw new RestoreForbiddenError(`GitLab refused to create ${request.owner}/${request.name}: ${error.message} (a restore needs the api scope and at least the Developer role in the group)`);
      }
      throw error;
    }
  }

  async setDefaultBranch(target: RestoreTargetRepository, branch: string): Promise<void> {
    if (target.defaultBranch === branch) return;
    await this.api.editProject(target.providerId, { default_branch: branch });
  }

  restoreMetadata(context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
    return restoreGitLabMetadata(this.api, context);
  }
}

function toTarget(project: GitLabRecord): RestoreTargetRepository {
  const namespace = (project['namespace'] ?? {}) as { full_path?: string };
  const fullName = String(project['path_with_namespace'] ?? '');
  const cloneUrl = String(project['http_url_to_repo'] ?? '');
  const wiki = project['wiki_access_level'] !== undefined ? project['wiki_access_level'] !== 'disabled' : project['wiki_enabled'] === true;
  return {
    providerId: String(project['id']),
    owner: namespace.full_path ?? fullName.slice(0, fullName.lastIndexOf('/')),
    name: String(project['path'] ?? ''),
    fullName,
    cloneUrl,
    wikiUrl: wiki && cloneUrl ? cloneUrl.replace(/\.git$/, '.wiki.git') : null,
    webUrl: String(project['web_url'] ?? ''),
    defaultBranch: typeof project['default_branch'] === 'string' ? project['default_branch'] : null,
    empty: project['empty_repo'] === true,
  };
}
