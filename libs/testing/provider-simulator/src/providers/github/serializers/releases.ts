import type { ReleaseAssetRecord, ReleaseRecord, SimRepository } from '../../../core/world/world-model';
import { nodeId, userById } from './accounts';
import type { Json, SerializerContext } from './serializer-context';

export function releaseAsset(ctx: SerializerContext, repo: SimRepository, release: ReleaseRecord, asset: ReleaseAssetRecord): Json {
  return {
    url: `${ctx.api}/repos/${repo.owner.login}/${repo.name}/releases/assets/${asset.id}`,
    browser_download_url: `${ctx.web}/${repo.owner.login}/${repo.name}/releases/download/${release.tagName}/${asset.name}`,
    id: asset.id,
    node_id: nodeId('ReleaseAsset', asset.id),
    name: asset.name,
    label: '',
    state: 'uploaded',
    content_type: asset.contentType,
    size: asset.content.length,
    digest: null,
    download_count: 0,
    created_at: asset.createdAt,
    updated_at: asset.createdAt,
    uploader: userById(ctx, asset.uploaderId),
  };
}

export function release(ctx: SerializerContext, repo: SimRepository, record: ReleaseRecord): Json {
  const api = `${ctx.api}/repos/${repo.owner.login}/${repo.name}/releases/${record.id}`;
  return {
    url: api,
    assets_url: `${api}/assets`,
    // GitHub.com: uploads.github.com/repos/…; Enterprise Server: <host>/api/uploads/repos/…
    upload_url: `${ctx.web}${ctx.api.endsWith('/api/v3') ? '/api/uploads' : '/uploads'}/repos/${repo.owner.login}/${repo.name}/releases/${record.id}/assets{?name,label}`,
    html_url: `${ctx.web}/${repo.owner.login}/${repo.name}/releases/tag/${record.tagName}`,
    id: record.id,
    author: userById(ctx, record.authorId),
    node_id: nodeId('Release', record.id),
    tag_name: record.tagName,
    target_commitish: record.targetCommitish,
    name: record.name,
    draft: record.draft,
    immutable: false,
    prerelease: record.prerelease,
    created_at: record.createdAt,
    updated_at: record.publishedAt,
    published_at: record.publishedAt,
    assets: record.assets.map((a) => releaseAsset(ctx, repo, record, a)),
    tarball_url: `${ctx.api}/repos/${repo.owner.login}/${repo.name}/tarball/${record.tagName}`,
    zipball_url: `${ctx.api}/repos/${repo.owner.login}/${repo.name}/zipball/${record.tagName}`,
    body: record.body,
  };
}
