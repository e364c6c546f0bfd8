import type { IssueCommentRecord, IssueRecord, ReleaseAssetRecord, ReviewCommentRecord, SimRepository } from '../../core/world/world-model';
import type { BitbucketCloudDirectory } from './bitbucket-cloud-directory';

/**
 * What Bitbucket Cloud serves of a repository's metadata, and how many: pull requests, their
 * comments (conversation and inline), issues and their comments (only with the issue tracker
 * enabled), tags, and downloads.
 */
export interface BitbucketCloudMetadataCounts {
  pullRequests: number;
  /** Conversation and inline comments of all pull requests. */
  pullRequestComments: number;
  /** 0 when the issue tracker is disabled. */
  issues: number;
  issueComments: number;
  tags: number;
  downloads: number;
}

/**
 * Pull requests and issues keep the world's shared numbering, so one number names either a pull
 * request or an issue (each kind's ids have gaps, which Bitbucket clients must tolerate anyway).
 */
export function pullRequestsOf(repo: SimRepository): IssueRecord[] {
  return repo.metadata.issues.filter((i) => i.pull !== null);
}

export function issuesOf(repo: SimRepository, directory: BitbucketCloudDirectory): IssueRecord[] {
  return directory.traitsOf(repo).hasIssues ? repo.metadata.issues.filter((i) => i.pull === null) : [];
}

export function pullRequestCommentsOf(repo: SimRepository, pullNumber: number): Array<IssueCommentRecord | ReviewCommentRecord> {
  const conversation: Array<IssueCommentRecord | ReviewCommentRecord> = repo.metadata.issueComments.filter((c) => c.issueNumber === pullNumber);
  const inline = repo.metadata.reviewComments.filter((c) => c.pullNumber === pullNumber);
  return [...conversation, ...inline].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id));
}

export function issueCommentsOf(repo: SimRepository, issueNumber: number): IssueCommentRecord[] {
  return repo.metadata.issueComments.filter((c) => c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
}

/** Files uploaded through `POST …/downloads`, per repository (they belong to no release). */
const UPLOADED_DOWNLOADS = new WeakMap<SimRepository, ReleaseAssetRecord[]>();

/** Release assets of the world, offered as the repository's downloads (Bitbucket has no releases), then uploaded ones. */
export function downloadsOf(repo: SimRepository): ReleaseAssetRecord[] {
  return [...repo.metadata.releases.flatMap((r) => r.assets), ...(UPLOADED_DOWNLOADS.get(repo) ?? [])];
}

/** Stores an uploaded download; one with the same name is replaced, as Bitbucket does. */
export function putDownload(repo: SimRepository, asset: ReleaseAssetRecord): void {
  for (const release of repo.metadata.releases) release.assets = release.assets.filter((a) => a.name !== asset.name);
  const uploaded = (UPLOADED_DOWNLOADS.get(repo) ?? []).filter((a) => a.name !== asset.name);
  uploaded.push(asset);
  UPLOADED_DOWNLOADS.set(repo, uploaded);
}

export function bitbucketCloudMetadataCounts(repo: SimRepository, directory: BitbucketCloudDirectory, refs: Record<string, string>): BitbucketCloudMetadataCounts {
  const pulls = pullRequestsOf(repo);
  const issues = issuesOf(repo, directory);
  return {
    pullRequests: pulls.length,
    pullRequestComments: pulls.reduce((n, p) => n + pullRequestCommentsOf(repo, p.number).length, 0),
    issues: issues.length,
    issueComments: issues.reduce((n, i) => n + issueCommentsOf(repo, i.number).length, 0),
    tags: Object.keys(refs).filter((r) => r.startsWith('refs/tags/')).length,
    downloads: downloadsOf(repo).length,
  };
}

/** Replies: a pull request or issue comment written with `parent.id` (by record, as ids are per world). */
const REPLY_PARENTS = new WeakMap<IssueCommentRecord | ReviewCommentRecord, number>();

export function setCommentParent(comment: IssueCommentRecord | ReviewCommentRecord, parentId: number): void {
  REPLY_PARENTS.set(comment, parentId);
}

export function commentParentOf(comment: IssueCommentRecord | ReviewCommentRecord): number | null {
  return REPLY_PARENTS.get(comment) ?? null;
}
