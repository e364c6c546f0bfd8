import { randomBytes } from 'node:crypto';
import { FormDataError, readUploadedFiles } from '../../core/http-form-data';
import type { HttpRouter } from '../../core/http-router';
import type { ReleaseAssetRecord, ReleaseRecord } from '../../core/world/world-model';
import { projectFullPath, type GitlabProject } from './gitlab-model';
import { json, notFound, type GitlabResult, type GitlabRoute, type GitlabRouteContext } from './gitlab-rest-types';
import * as ser from './gitlab-serializers';
import type { GitlabWriteParams } from './gitlab-write-params';
import { now, paramError, projectWrite, ROLE, viewerId } from './gitlab-write-support';

const LINK_TYPES = ['other', 'runbook', 'image', 'package'];

let nextUploadId = 1;

/** The upload of this project a URL points at (`/-/project/:id/uploads/…` or `/<full path>/uploads/…` on this instance), if any. */
function uploadBehind(ctx: GitlabRouteContext, project: GitlabProject, url: URL): { secret: string; content: Buffer } | undefined {
  if (url.origin !== ctx.url.origin) return undefined;
  const match = /^\/(.+)\/uploads\/([0-9a-f]{32})\/([^/]+)$/.exec(url.pathname);
  if (!match) return undefined;
  const owner = decodeURIComponent(match[1]);
  if (owner !== `-/project/${project.id}` && owner.toLowerCase() !== projectFullPath(project).toLowerCase()) return undefined;
  const upload = project.uploads?.get(match[2]);
  return upload && upload.filename === decodeURIComponent(match[3]) ? { secret: upload.secret, content: upload.content } : undefined;
}

/** Adds a link to a release, as `POST …/releases/:tag/assets/links` and release creation do. */
function addLink(ctx: GitlabRouteContext, project: GitlabProject, release: ReleaseRecord, input: { name?: unknown; url?: unknown; link_type?: unknown }): ReleaseAssetRecord | GitlabResult {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  const raw = typeof input.url === 'string' ? input.url.trim() : '';
  if (!name) return paramError('name is missing');
  if (!raw) return paramError('url is missing');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return json({ message: { url: ['is blocked: Only allowed schemes are http, https'] } }, 400);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return json({ message: { url: ['is blocked: Only allowed schemes are http, https'] } }, 400);
  const linkType = typeof input.link_type === 'string' ? input.link_type : 'other';
  if (!LINK_TYPES.includes(linkType)) return paramError('link_type does not have a valid value');
  const links = project.links ?? new Map<number, { url: string; linkType: string }>();
  project.links = links;
  if (release.assets.some((a) => a.name === name)) return json({ message: { name: ['has already been taken'] } }, 400);
  if (release.assets.some((a) => ser.releaseLink(ctx.ser, project, release, a.id).url === raw)) return json({ message: { url: ['has already been taken'] } }, 400);
  const upload = uploadBehind(ctx, project, url);
  const asset: ReleaseAssetRecord = {
    id: ctx.gl.world.ids.allocate('releaseAsset'),
    name,
    contentType: 'application/octet-stream',
    content: upload?.content ?? Buffer.alloc(0),
    uploaderId: viewerId(ctx),
    createdAt: now(ctx),
  };
  release.assets.push(asset);
  links.set(asset.id, { url: raw, linkType });
  if (upload) project.uploadSecrets.set(asset.id, upload.secret);
  return asset;
}

function isAsset(value: ReleaseAssetRecord | GitlabResult): value is ReleaseAssetRecord {
  return 'uploaderId' in value;
}

async function releaseBody(ctx: GitlabRouteContext, project: GitlabProject, release: ReleaseRecord): Promise<unknown> {
  const tag = await ctx.refs.ref(project.repo.gitDir, `refs/tags/${release.tagName}`);
  return ser.release(ctx.ser, project, release, tag ? { id: tag.peeled ?? tag.sha, createdAt: release.createdAt } : null);
}

/** `POST /projects/:id/releases`: a release of an existing tag (historical `released_at` allowed), with optional links. */
async function createRelease(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): Promise<GitlabResult> {
  const tagName = params.string('tag_name');
  if (project.repo.metadata.releases.some((r) => r.tagName === tagName)) return json({ message: 'Release already exists' }, 409);
  if (!(await ctx.refs.ref(project.repo.gitDir, `refs/tags/${tagName}`))) {
    // Creating the tag from `ref` is not simulated: restores push tags before they create releases.
    return json({ message: params.has('ref') ? 'Creating a tag from ref is not supported by the simulator' : 'Ref is not specified' }, 422);
  }
  const at = now(ctx);
  const release: ReleaseRecord = {
    id: ctx.gl.world.ids.allocate('release'),
    tagName,
    targetCommitish: project.repo.defaultBranch,
    name: params.optionalString('name') ?? tagName,
    body: params.optionalString('description') ?? '',
    draft: false,
    prerelease: false,
    authorId: viewerId(ctx),
    createdAt: at,
    publishedAt: params.optionalTime('released_at') ?? at,
    assets: [],
  };
  const links = params.object('assets')?.['links'];
  if (links !== undefined && !Array.isArray(links)) return paramError('assets[links] is invalid');
  for (const link of (links ?? []) as Array<Record<string, unknown>>) {
    const added = addLink(ctx, project, release, link ?? {});
    if (!isAsset(added)) return added;
  }
  project.repo.metadata.releases.push(release);
  project.repo.updatedAt = at;
  return json(await releaseBody(ctx, project, release), 201);
}

function createReleaseLink(ctx: GitlabRouteContext, project: GitlabProject, params: GitlabWriteParams): GitlabResult {
  const release = project.repo.metadata.releases.find((r) => r.tagName === ctx.params.tag_name);
  if (!release) return notFound('Release');
  const added = addLink(ctx, project, release, { name: params.optionalString('name'), url: params.optionalString('url'), link_type: params.optionalString('link_type') });
  return isAsset(added) ? json(ser.releaseLink(ctx.ser, project, release, added.id), 201) : added;
}

/** `POST /projects/:id/uploads`: a file (multipart field `file`) the project's markdown and release links can point at. */
async function upload(ctx: GitlabRouteContext, project: GitlabProject): Promise<GitlabResult> {
  let files;
  try {
    files = await readUploadedFiles(ctx.req);
  } catch (error) {
    if (error instanceof FormDataError) return paramError(`file is missing (${error.message})`);
    throw error;
  }
  const file = files.find((f) => f.field === 'file');
  if (!file || !file.filename) return paramError('file is missing');
  const secret = randomBytes(16).toString('hex');
  const filename = file.filename.replace(/[^A-Za-z0-9._-]/g, '_');
  const uploads = project.uploads ?? new Map();
  project.uploads = uploads;
  uploads.set(secret, { secret, filename, contentType: file.contentType, content: file.content });
  const relative = `/uploads/${secret}/${filename}`;
  return json({ id: nextUploadId++, alt: filename.replace(/\.[^.]*$/, ''), url: relative, full_path: `/-/project/${project.id}${relative}`, markdown: `[${filename}](${relative})` }, 201);
}

/** Releases, their links, and uploads (what release links to GitLab-hosted files point at). */
export function registerGitlabReleaseWriteRoutes(router: HttpRouter<GitlabRoute>): void {
  projectWrite(router, 'POST', '/releases', ROLE.developer, createRelease);
  projectWrite(router, 'POST', '/releases/{tag_name}/assets/links', ROLE.developer, createReleaseLink);
  projectWrite(router, 'POST', '/uploads', ROLE.developer, (ctx, project) => upload(ctx, project));
}
