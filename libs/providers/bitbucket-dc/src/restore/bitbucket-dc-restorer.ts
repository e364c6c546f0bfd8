import {
  type AdapterTarget, type MetadataRestoreContext, type MetadataRestoreResult, type RepositoryCreateRequest, type RepositoryRestorer, type RestoreTargetRepository,
  RestoreForbiddenError, RestoreTargetExistsError, UpstreamNotFoundError,
} from '@repovault/providers/core';
import type { BitbucketDcRecord } from '../bitbucket-dc-http';
import { restoreBitbucketDcMetadata } from './bitbucket-dc-metadata-restore';
import { BITBUCKET_DC_RESTORE_CAPABILITIES } from './bitbucket-dc-restore-capabilities';
import { BitbucketDcPermissionError, BitbucketDcRestoreApi, BitbucketDcWriteRefusedError } from './bitbucket-dc-restore-api';

/** Restores into Bitbucket Data Center (see RepositoryRestorer): repositories of a project, named `KEY/slug`. */
export class BitbucketDcRestorer implements RepositoryRestorer {
  readonly kind = 'bitbucket-dc' as const;
  readonly capabilities = BITBUCKET_DC_RESTORE_CAPABILITIES;
  private readonly api: BitbucketDcRestoreApi;

  constructor(target: AdapterTarget) {
    this.api = new BitbucketDcRestoreApi(target);
  }

  async findRepository(owner: string, name: string): Promise<RestoreTargetRepository | null> {
    const ref = { projectKey: owner, slug: name.toLowerCase() };
    let repo: BitbucketDcRecord;
    try {
      repo = await this.api.repository(ref);
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return null;
      throw error;
    }
    const defaultBranch = await this.api.defaultBranch(ref);
    return toTarget(repo, defaultBranch);
  }

  /** An empty git repository in the project (Data Center uses only `name` and `scmId` on creation). */
  async createRepository(request: RepositoryCreateRequest): Promise<RestoreTargetRepository> {
    try {
      return toTarget(await this.api.createRepository(request.owner, request.name), null);
    } catch (error) {
      if (error instanceof BitbucketDcWriteRefusedError && error.status === 409) throw new RestoreTargetExistsError(`${request.owner}/${request.name}`);
      if (error instanceof UpstreamNotFoundError) throw new RestoreForbiddenError(`Bitbucket Data Center has no project ${request.owner} that this credential can see`);
      if (error instanceof BitbucketDcPermissionError) {
        throw new RestoreForbiddenError(`${error.message} (a restore needs a token with PROJECT_WRITE, or PROJECT_ADMIN to set the default branch, in ${request.owner})`);
      }
      throw error;
    }
  }

  async setDefaultBranch(target: RestoreTargetRepository, branch: string): Promise<void> {
    if (target.defaultBranch === branch) return;
    await this.api.setDefaultBranch({ projectKey: target.owner, slug: target.name }, branch);
  }

  restoreMetadata(context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
    return restoreBitbucketDcMetadata(this.api, context);
  }
}

function toTarget(repo: BitbucketDcRecord, defaultBranch: string | null): RestoreTargetRepository {
  const project = (repo['project'] ?? {}) as { key?: string };
  const slug = String(repo['slug'] ?? '');
  const links = (repo['links'] ?? {}) as { clone?: Array<{ name?: string; href?: string }>; self?: Array<{ href?: string }> };
  const http = links.clone?.find((c) => c.name === 'http')?.href;
  let cloneUrl = '';
  if (http) {
    // Data Center puts the caller's name in clone links: never keep anything before the host
    const url = new URL(http);
    url.username = '';
    url.password = '';
    cloneUrl = url.toString();
  }
  return {
    providerId: String(repo['id'] ?? `${project.key ?? ''}/${slug}`),
    owner: project.key ?? '',
    name: slug,
    fullName: `${project.key ?? ''}/${slug}`,
    cloneUrl,
    wikiUrl: null,
    webUrl: links.self?.[0]?.href ?? '',
    defaultBranch,
    // no default branch exists before the first push
    empty: defaultBranch === null,
  };
}
