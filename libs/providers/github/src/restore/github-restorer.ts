import { RequestError } from '@octokit/request-error';
import {
  type AdapterTarget, type MetadataRestoreContext, type MetadataRestoreResult, type RepositoryCreateRequest, type RepositoryRestorer,
  type RestoreTargetRepository, RestoreForbiddenError, RestoreTargetExistsError, UpstreamNotFoundError,
} from '@repovault/providers/core';
import { callGitHub } from '../github-errors';
import type { GitHubRecord } from '../github-metadata-export';
import { createGitHubOctokit, type PagingOctokit } from '../github-octokit';
import { restoreGitHubMetadata } from './github-metadata-restore';
import { GITHUB_RESTORE_CAPABILITIES } from './github-restore-capabilities';
import { GitHubRestoreApi, describeGitHubRefusal } from './github-restore-api';

/** GitHub.com takes release asset uploads on its own host; Enterprise Server on its API host. */
export function githubUploadOrigins(apiBaseUrl: string): string[] {
  return new URL(apiBaseUrl).host === 'api.github.com' ? ['https://uploads.github.com'] : [];
}

/** Restores into GitHub and GitHub Enterprise Server (see RepositoryRestorer). */
export class GitHubRestorer implements RepositoryRestorer {
  readonly kind = 'github' as const;
  readonly capabilities = GITHUB_RESTORE_CAPABILITIES;
  readonly credentialOrigins: readonly string[];
  private readonly octokit: PagingOctokit;

  constructor(private readonly target: AdapterTarget) {
    this.octokit = createGitHubOctokit(target);
    this.credentialOrigins = githubUploadOrigins(target.apiBaseUrl);
  }

  async findRepository(owner: string, name: string): Promise<RestoreTargetRepository | null> {
    let repo: GitHubRecord;
    try {
      repo = (await callGitHub(() => this.octokit.request('GET /repos/{owner}/{repo}', { owner, repo: name }), `repository ${owner}/${name}`)).data as GitHubRecord;
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return null;
      throw error;
    }
    const target = toTarget(repo);
    const branches = await callGitHub(() => this.octokit.request('GET /repos/{owner}/{repo}/branches', { owner: target.owner, repo: target.name, per_page: 1 }), `branches of ${target.fullName}`);
    return { ...target, empty: (branches.data as unknown[]).length === 0 };
  }

  async createRepository(request: RepositoryCreateRequest): Promise<RestoreTargetRepository> {
    const user = (await callGitHub(() => this.octokit.request('GET /user'), 'the authenticated user')).data as { login: string };
    const body = { name: request.name, description: request.description ?? undefined, private: request.private, has_wiki: request.wiki, has_issues: request.issues, auto_init: false };
    const personal = user.login.toLowerCase() === request.owner.toLowerCase();
    try {
      const created = personal
        ? await callGitHub(() => this.octokit.request('POST /user/repos', body), 'a repository')
        : await callGitHub(() => this.octokit.request('POST /orgs/{org}/repos', { org: request.owner, ...body }), `a repository in ${request.owner}`);
      return { ...toTarget(created.data as GitHubRecord), empty: true };
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) {
        throw new RestoreForbiddenError(`GitHub does not let ${user.login} create repositories in ${request.owner}: the organization does not exist or the account is not a member`);
      }
      if (error instanceof RequestError && error.status === 422 && /already exists/i.test(describeGitHubRefusal(error))) {
        throw new RestoreTargetExistsError(`${request.owner}/${request.name}`);
      }
      if (error instanceof RequestError && error.status === 403) {
        throw new RestoreForbiddenError(`GitHub refused to create ${request.owner}/${request.name} for ${user.login}: ${describeGitHubRefusal(error)}`);
      }
      throw error;
    }
  }

  async setDefaultBranch(target: RestoreTargetRepository, branch: string): Promise<void> {
    if (target.defaultBranch === branch) return;
    await callGitHub(() => this.octokit.request('PATCH /repos/{owner}/{repo}', { owner: target.owner, repo: target.name, default_branch: branch }), `repository ${target.fullName}`);
  }

  restoreMetadata(context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
    return restoreGitHubMetadata(new GitHubRestoreApi(this.octokit, this.target.fetch, context.target.owner, context.target.name), context);
  }
}

function toTarget(repo: GitHubRecord): Omit<RestoreTargetRepository, 'empty'> {
  const owner = (repo['owner'] as { login?: string } | null)?.login ?? String(repo['full_name']).split('/')[0] ?? '';
  const cloneUrl = String(repo['clone_url'] ?? '');
  return {
    providerId: String(repo['id']),
    owner,
    name: String(repo['name']),
    fullName: String(repo['full_name']),
    cloneUrl,
    wikiUrl: repo['has_wiki'] === false || cloneUrl === '' ? null : cloneUrl.replace(/\.git$/, '.wiki.git'),
    webUrl: String(repo['html_url'] ?? ''),
    defaultBranch: typeof repo['default_branch'] === 'string' ? repo['default_branch'] : null,
  };
}
