/**
 * The provider-neutral state the simulator serves: accounts, credentials, repositories and their
 * metadata. Providers only decide how it is authorised, counted and serialised.
 */

export interface SimUser {
  id: number;
  login: string;
  name: string;
  email: string;
  createdAt: string;
}

export type OrganizationRole = 'admin' | 'member';
export type RepositoryPermission = 'read' | 'write';

export interface SimOrganization {
  id: number;
  login: string;
  name: string;
  description: string;
  createdAt: string;
  /** user id -> role */
  members: Map<number, OrganizationRole>;
  /** What plain members may do on the organization's repositories (admins can always write). */
  memberPermission: RepositoryPermission;
}

/** GitHub credential kinds (OAuth tokens act as classic tokens with the granted scopes). */
export type CredentialKind = 'classic' | 'fine-grained' | 'installation';

/** What a GitHub App installation token may do: the installation's account and its permission on contents. */
export interface SimInstallationGrant {
  installationId: number;
  /** lower-case login of the organization or user the app is installed on */
  account: string;
  contents: RepositoryPermission;
}

export interface SimCredential {
  /** The name tests refer to it by (`alice`, `alice-2`, `erin-fine-grained`). */
  name: string;
  provider: 'github';
  kind: CredentialKind;
  value: string;
  userId: number;
  /** Classic tokens only; fine-grained tokens carry no scopes. */
  scopes: string[];
  /** Fine-grained tokens: organizations (lower-case logins) whose resources the token was granted. */
  organizations: string[];
  /** Fine-grained tokens: 'all' or the lower-case full names of the repositories granted. */
  repositories: 'all' | string[];
  /** Fine-grained tokens: contents permission. */
  permission: RepositoryPermission;
  /** Short-lived tokens (OAuth, installation): real epoch ms from which the token is refused. */
  expiresAtMs?: number;
  /** Installation tokens: the installation they act for (their budget identity and access). */
  installation?: SimInstallationGrant;
  /** Installation tokens act as the app's bot, which is no seeded user. */
  actor?: SimUser;
}

export interface RepositoryOwner {
  kind: 'organization' | 'user';
  id: number;
  login: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string;
  isDefault: boolean;
}

export interface MilestoneRecord {
  id: number;
  number: number;
  title: string;
  description: string;
  state: 'open' | 'closed';
  creatorId: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  dueOn: string | null;
}

export interface PullDetails {
  id: number;
  headRef: string;
  baseRef: string;
  merged: boolean;
  mergedAt: string | null;
  draft: boolean;
}

/** Issues and pull requests share one numbering, as on GitHub; `pull` marks a pull request. */
export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  authorId: number;
  assigneeIds: number[];
  labelNames: string[];
  milestoneNumber: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull: PullDetails | null;
}

export interface IssueCommentRecord {
  id: number;
  issueNumber: number;
  authorId: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  authorId: number;
  state: 'APPROVED' | 'COMMENTED' | 'CHANGES_REQUESTED';
  body: string;
  submittedAt: string;
}

export interface ReviewCommentRecord {
  id: number;
  pullNumber: number;
  reviewId: number;
  authorId: number;
  body: string;
  path: string;
  line: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReleaseAssetRecord {
  id: number;
  name: string;
  contentType: string;
  content: Buffer;
  uploaderId: number;
  createdAt: string;
}

export interface ReleaseRecord {
  id: number;
  tagName: string;
  targetCommitish: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  authorId: number;
  createdAt: string;
  publishedAt: string;
  assets: ReleaseAssetRecord[];
}

export interface RepositoryMetadata {
  labels: LabelRecord[];
  milestones: MilestoneRecord[];
  issues: IssueRecord[];
  issueComments: IssueCommentRecord[];
  reviews: ReviewRecord[];
  reviewComments: ReviewCommentRecord[];
  releases: ReleaseRecord[];
}

export interface MetadataCounts {
  issues: number;
  pulls: number;
  issueComments: number;
  reviews: number;
  reviewComments: number;
  releases: number;
  releaseAssets: number;
  labels: number;
  milestones: number;
}

export interface SimRepository {
  id: number;
  owner: RepositoryOwner;
  name: string;
  private: boolean;
  description: string;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Absolute path of the bare repository. */
  gitDir: string;
  /** Absolute path of `{name}.wiki.git`, or null when the repository has no wiki. */
  wikiGitDir: string | null;
  lfsOids: string[];
  metadata: RepositoryMetadata;
  /** Seed of this repository's generated content; later mutations derive from it too. */
  contentSeed: string;
  /** How many content mutations happened, so each one generates distinct, reproducible content. */
  mutationCount: number;
}

export function fullName(repo: SimRepository): string {
  return `${repo.owner.login}/${repo.name}`;
}

export function metadataCounts(metadata: RepositoryMetadata): MetadataCounts {
  return {
    issues: metadata.issues.filter((i) => i.pull === null).length,
    pulls: metadata.issues.filter((i) => i.pull !== null).length,
    issueComments: metadata.issueComments.length,
    reviews: metadata.reviews.length,
    reviewComments: metadata.reviewComments.length,
    releases: metadata.releases.length,
    releaseAssets: metadata.releases.reduce((n, r) => n + r.assets.length, 0),
    labels: metadata.labels.length,
    milestones: metadata.milestones.length,
  };
}
