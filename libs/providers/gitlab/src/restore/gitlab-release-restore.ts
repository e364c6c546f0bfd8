import { type RestoredRef, withRestoreAttribution } from '@repovault/providers/core';
import { GITLAB_EXPORT_FIELDS, type GitLabRecord } from '../gitlab-metadata-export';
import { GitLabWriteRefusedError } from './gitlab-restore-api';
import { type GitLabRestoreState, num, str, username } from './gitlab-restore-state';

/**
 * Releases of tags the target holds, oldest first, with their historical `released_at`; then each
 * release's links: a link to an upload of the source project gets the uploaded bytes from the
 * snapshot uploaded to the target (and points there), any other link keeps its URL.
 */
export class GitLabReleaseRestore {
  private targetReleases: GitLabRecord[] | null = null;

  constructor(private readonly state: GitLabRestoreState) {}

  async run(): Promise<void> {
    const { steps } = this.state;
    if (!steps.wants('releases')) return;
    const links = new Map<string, GitLabRecord[]>();
    if (steps.wants('release-assets')) {
      for (const link of await steps.collect<GitLabRecord>('release-assets')) {
        const tag = str(link, GITLAB_EXPORT_FIELDS.releaseTag) ?? '';
        links.set(tag, [...(links.get(tag) ?? []), link]);
      }
    }
    const when = (r: GitLabRecord): string => str(r, 'released_at') ?? str(r, 'created_at') ?? '';
    const releases = (await steps.collect<GitLabRecord>('releases')).sort((a, b) => when(a).localeCompare(when(b)));
    for (const release of releases) {
      this.state.context.signal?.throwIfAborted();
      await this.restoreRelease(release, links.get(str(release, 'tag_name') ?? '') ?? []);
    }
  }

  private async releases(refresh = false): Promise<GitLabRecord[]> {
    if (refresh || !this.targetReleases) this.targetReleases = await this.state.api.releases(this.state.projectId);
    return this.targetReleases;
  }

  private async restoreRelease(release: GitLabRecord, links: GitLabRecord[]): Promise<void> {
    const { state } = this;
    const { context, steps } = state;
    const tag = str(release, 'tag_name') ?? '';
    if (!context.targetRefs[`refs/tags/${tag}`]) {
      context.progress.notRestored('releases', 'its tag is not in the target (git was not restored, or the snapshot lacks the tag)', tag);
      if (links.length > 0) context.progress.notRestored('release-assets', 'its release was not restored', tag, links.length);
      return;
    }
    const find = async (): Promise<RestoredRef | null> => {
      const found = (await this.releases(true)).find((r) => r['tag_name'] === tag);
      return found ? { targetId: tag } : null;
    };
    const present = state.overwrite ? await find() : null;
    const ref =
      present ??
      (await steps.once('releases', tag, async () => {
        const description = withRestoreAttribution(state.remap(str(release, 'description')), {
          author: username(release, 'author'), createdAt: str(release, 'released_at') ?? str(release, 'created_at'), original: `release ${tag}`,
        }, steps.marker('releases', tag));
        const releasedAt = str(release, 'released_at');
        try {
          await state.api.createRelease(state.projectId, { tag_name: tag, name: str(release, 'name') ?? tag, description, ...(releasedAt ? { released_at: releasedAt } : {}) });
        } catch (error) {
          // a release of this tag exists already (made by a killed attempt whose ledger write was lost): it is the one
          if (!(error instanceof GitLabWriteRefusedError && error.status === 409)) throw error;
        }
        this.targetReleases = null;
        return { targetId: tag };
      }, find, { kind: 'releases', id: tag }));
    if (!ref) {
      if (links.length > 0) context.progress.notRestored('release-assets', 'its release was not restored', tag, links.length);
      return;
    }
    context.progress.restored('releases');
    for (const link of links) await this.restoreLink(tag, link);
  }

  private async linksOf(tag: string, refresh: boolean): Promise<GitLabRecord[]> {
    const release = (await this.releases(refresh)).find((r) => r['tag_name'] === tag);
    const assets = (release?.['assets'] ?? {}) as { links?: GitLabRecord[] };
    return assets.links ?? [];
  }

  private async restoreLink(tag: string, link: GitLabRecord): Promise<void> {
    const { state } = this;
    const { context, steps } = state;
    const id = String(link['id'] ?? `${tag}/${String(link['name'])}`);
    const name = str(link, 'name') ?? id;
    const label = `${tag}/${name}`;
    const upload = link[GITLAB_EXPORT_FIELDS.upload] === true;
    const sha256 = str(link, GITLAB_EXPORT_FIELDS.sha256);
    if (upload && !sha256) {
      context.progress.notRestored('release-assets', 'the snapshot holds only its metadata (the backup did not download the uploaded file)', label);
      return;
    }
    if (state.overwrite && (await this.linksOf(tag, false)).some((l) => l['name'] === name)) {
      context.progress.restored('release-assets');
      return;
    }
    const linkType = str(link, 'link_type') ?? undefined;
    const ref = await steps.once('release-assets', id, async () => {
      const url = upload && sha256 ? await this.uploadFor(link, sha256, label) : (str(link, 'url') ?? '');
      const created = await state.api.createReleaseLink(state.projectId, tag, { name, url, ...(linkType ? { link_type: linkType } : {}) });
      this.targetReleases = null;
      return { targetId: String(created['id'] ?? name) };
    }, async () => {
      const found = (await this.linksOf(tag, true)).find((l) => l['name'] === name);
      return found ? { targetId: String(found['id']) } : null;
    }, { kind: 'release-assets', id: label });
    if (ref) context.progress.restored('release-assets');
  }

  /** Uploads the snapshot's bytes of an upload link to the target project; the URL the new link points at. */
  private async uploadFor(link: GitLabRecord, sha256: string, label: string): Promise<string> {
    const body = await this.state.context.metadata.openAsset(sha256);
    if (!body) throw new GitLabWriteRefusedError(0, `the bytes of ${label} are missing from the snapshot store`);
    const filename = fileNameOf(str(link, 'url')) ?? str(link, 'name') ?? 'asset';
    const size = num(link, GITLAB_EXPORT_FIELDS.bytes);
    const uploaded = await this.state.api.upload(this.state.projectId, { name: filename, contentType: null, size, body });
    const path = uploaded.full_path ?? `/${this.state.context.target.fullName}${uploaded.url}`;
    return `${this.state.api.instanceRoot}${path}`;
  }
}

/** The file name at the end of an upload URL (`…/uploads/<secret>/<name>`). */
function fileNameOf(url: string | null): string | null {
  const match = /\/uploads\/[0-9a-f]{32}\/([^/?#]+)$/.exec(url ?? '');
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}
