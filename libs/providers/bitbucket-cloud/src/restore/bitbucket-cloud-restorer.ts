import {
  type AdapterTarget, type MetadataRestoreContext, type MetadataRestoreResult, type RepositoryCreateRequest, type RepositoryRestorer, type RestoreTargetRepository, RestoreForbiddenError, RestoreTargetExistsError, UpstreamNotFoundError,
} from '@repovault/providers/core';
import { BitbucketForbiddenError } from '../bitbucket-cloud-http';
import type { BitbucketRecord } from '../bitbucket-cloud-pages';
import { restoreBitbucketCloudMetadata } from './bitbucket-cloud-metadata-restore';
import { BITBUCKET_CLOUD_RESTORE_CAPABILITIES } from './bitbucket-cloud-restore-capabilities';
import { BitbucketCloudRestoreApi, BitbucketCloudWriteRefusedError } from './bitbucket-cloud-restore-api';

/** Restores into Bitbucket Cloud (see RepositoryRestorer): repositories of a workspace, named `workspace/slug`. */
export class BitbucketCloudRestorer implements RepositoryRestorer {
  readonly kind = 'bitbucket-cloud' as const;
  readonly capabilities = BITBUCKET_CLOUD_RESTORE_CAPABILITIES;
  private readonly api: BitbucketCloudRestoreApi;

  constructor(target: AdapterTarget) {
    this.api = new BitbucketCloudRestoreApi(target);
  }

  async findRepository(owner: string, name: string): Promise<RestoreTargetRepository | null> {
    try {
      return toTarget(await this.api.repository(owner, name));
    } catch (error) {
      if (error instanceof UpstreamNotFoundError) return null;
      throw error;
    }
  }

  /** An empty git repository in the workspace (its oldest project), with a wiki and an issue tracker when the restore needs them. */
  async createRepository(request: RepositoryCreateRequest): Promise<RestoreTargetRepository> {
    const slug = request.name.toLowerCase();
    try {
      const created = await this.api.createRepository(request.owner, slug, {
        scm: 'git', is_private: request.private, has_wiki: request.wiki, has_issues: request.issues, ...(request.description ? { description: request.description } : {}),
      });
      return toTarget(created);
    } catch (error) {
      if (error instanceof BitbucketCloudWriteRefusedError && /already exists/i.test(error.message)) throw new RestoreTargetExistsError(`${request.owner}/${slug}`);
      if (error instanceof UpstreamNotFoundError) throw new RestoreForbiddenError(`Bitbucket Cloud has no workspace ${request.owner} that this credential can see`);
      if (error instanceof BitbucketForbiddenError) {
        throw new RestoreForbiddenError(`Bitbucket Cloud refused to create ${request.owner}/${slug}: ${error.message} (a restore needs admin:repository:bitbucket, or repository:admin for an access token, and the right to create repositories in the workspace)`);
      }
      throw error;
    }
  }

  async setDefaultBranch(target: RestoreTargetRepository, branch: string): Promise<void> {
    if (target.defaultBranch === branch) return;
    await this.api.updateRepository(target.owner, target.name, { mainbranch: { name: branch } });
  }

  restoreMetadata(context: MetadataRestoreContext): Promise<MetadataRestoreResult> {
    return restoreBitbucketCloudMetadata(this.api, context);
  }
}

function toTarget(repo: BitbucketRecord): RestoreTargetRepository {
  const fullName = String(repo['full_name'] ?? '');
  const [owner = '', name = ''] = fullName.split('/');
  const links = (repo['links'] ?? {}) as { clone?: Array<{ name?: string; href?: string }>; html?: { href?: string } };
  const https = links.clone?.find((c) => c.name === 'https')?.href;
  let cloneUrl = '';
  if (https) {
    // bitbucket.org puts the viewer's username in clone links: never keep anything before the host
    const url = new URL(https);
    url.username = '';
    url.password = '';
    cloneUrl = url.toString();
  }
  const mainbranch = (repo['mainbranch'] ?? null) as { name?: string } | null;
  return {
    providerId: String(repo['uuid'] ?? fullName),
    owner,
    name: String(repo['slug'] ?? name),
    fullName,
    cloneUrl,
    wikiUrl: repo['has_wiki'] === true && cloneUrl ? `${cloneUrl.replace(/\/$/, '')}/wiki` : null,
    webUrl: links.html?.href ?? '',
    defaultBranch: mainbranch?.name ?? null,
    // Bitbucket reports the bytes of a repository's packs: nothing pushed yet is 0
    empty: repo['size'] === 0,
  };
}
