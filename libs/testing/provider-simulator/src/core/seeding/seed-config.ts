import type { BitbucketCloudSeed } from '../../providers/bitbucket-cloud/bitbucket-cloud-seed';
import type { BitbucketDcSeed } from '../../providers/bitbucket-dc/bitbucket-dc-seed';
import type { GitlabSeedConfig } from '../../providers/gitlab/gitlab-seed';
import type { CredentialKind, RepositoryPermission } from '../world/world-model';

/**
 * What to seed. The same config (including `seed`) always yields the same accounts, ids, tokens,
 * repositories, commit ids and metadata.
 */
export interface SeedConfig {
  /** Seed string all generated content and token values derive from. */
  seed: string;
  users: UserSeed[];
  organizations: OrganizationSeed[];
  /** Bitbucket Cloud: its own users, workspaces (with projects) and tokens; optional. */
  bitbucketCloud?: BitbucketCloudSeed;
  /** Bitbucket Data Center: its own users, projects and HTTP access tokens; optional. */
  bitbucketDc?: BitbucketDcSeed;
  /** GitLab (gitlab.com and self-managed): its own users, groups with subgroups and projects, and tokens; optional. */
  gitlab?: GitlabSeedConfig;
}

/** What a provider's part of a seed config is checked with: the shared repository rules and the error to throw. */
export interface SeedPartValidators {
  repository(input: unknown, path: string): RepositorySeed;
  batch(input: unknown, path: string): RepositoryBatchSeed;
  fail(message: string): Error;
}

export interface UserSeed {
  login: string;
  name?: string;
  email?: string;
  tokens?: TokenSeed[];
}

export interface TokenSeed {
  /** Unique across the config: the key in `RunningSimulator.tokens`. */
  name: string;
  /** `classic` (`ghp_`, scopes) or `fine-grained` (`github_pat_`, no scopes). Default classic. */
  kind?: CredentialKind;
  /** Classic tokens; default `['repo', 'read:org']`. */
  scopes?: string[];
  /** Fine-grained tokens: organizations the token was granted. Default none. */
  organizations?: string[];
  /** Fine-grained tokens: `'all'` (default) or full names `owner/name` of the granted repositories. */
  repositories?: 'all' | string[];
  /** Fine-grained tokens: contents permission. Default `read`. */
  permission?: RepositoryPermission;
  /** A fixed token value; default derived from the seed and the token name. */
  value?: string;
}

export interface OrganizationSeed {
  login: string;
  name?: string;
  description?: string;
  /** Logins of organization owners (role admin: they may push). */
  owners: string[];
  /** Logins of plain members. */
  members?: string[];
  /** What plain members may do on the organization's repositories. Default `read`. */
  memberPermission?: RepositoryPermission;
  repositories?: RepositorySeed[];
  /** A batch of generated repositories, created after the explicit ones. */
  generate?: RepositoryBatchSeed;
}

export interface RepositorySeed {
  name: string;
  /** Default false. */
  private?: boolean;
  description?: string;
  /** Branches besides the default branch `main`. Default 2. */
  branches?: number;
  /** Commits on each branch (the default branch included). Default 3. */
  commitsPerBranch?: number;
  /** Tags on the default branch, alternately annotated and lightweight. Default 2. */
  tags?: number;
  /** LFS objects committed as pointer files (with `.gitattributes`) and stored. Default 0. */
  lfsObjects?: number;
  /** Whether a `{name}.wiki.git` exists. Default false. */
  wiki?: boolean;
  metadata?: MetadataSeed;
}

export interface MetadataSeed {
  /** Plain issues. Default 3. */
  issues?: number;
  /** Pull requests (they share the issue numbering). Default 2; 0 when the repository has no branches. */
  pulls?: number;
  /** Conversation comments on every issue and pull request. Default 2. */
  commentsPerIssue?: number;
  /** Reviews on every pull request. Default 1. */
  reviewsPerPull?: number;
  /** Review (diff) comments on every pull request. Default 1. */
  reviewCommentsPerPull?: number;
  /** Releases, one per tag at most. Default 1. */
  releases?: number;
  /** Assets of every release. Default 1. */
  assetsPerRelease?: number;
  /** Default 3. */
  labels?: number;
  /** Default 1. */
  milestones?: number;
}

export interface RepositoryBatchSeed {
  count: number;
  /** Names are `{namePrefix}-{index padded to 4 digits}`, from 1. Default `repo`. */
  namePrefix?: string;
  /** Every Nth repository (N, 2N, …) is private; 0 or absent: none. */
  privateEvery?: number;
  /** Every Nth repository has LFS objects (`template.lfsObjects`, or 2 when the template has none). */
  lfsEvery?: number;
  /** Every Nth repository has a wiki. */
  wikiEvery?: number;
  /** Shape of each generated repository. */
  template?: Omit<RepositorySeed, 'name' | 'private' | 'wiki'>;
}

export type ResolvedMetadataSeed = Required<MetadataSeed>;

export interface ResolvedRepositorySeed {
  name: string;
  private: boolean;
  description: string;
  branches: number;
  commitsPerBranch: number;
  tags: number;
  lfsObjects: number;
  wiki: boolean;
  metadata: ResolvedMetadataSeed;
}

export function resolveRepositorySeed(spec: RepositorySeed): ResolvedRepositorySeed {
  const branches = spec.branches ?? 2;
  const m = spec.metadata ?? {};
  const tags = spec.tags ?? 2;
  return {
    name: spec.name,
    private: spec.private ?? false,
    description: spec.description ?? `Simulated repository ${spec.name}`,
    branches,
    commitsPerBranch: Math.max(1, spec.commitsPerBranch ?? 3),
    tags,
    lfsObjects: spec.lfsObjects ?? 0,
    wiki: spec.wiki ?? false,
    metadata: {
      issues: m.issues ?? 3,
      pulls: branches === 0 ? 0 : (m.pulls ?? 2),
      commentsPerIssue: m.commentsPerIssue ?? 2,
      reviewsPerPull: m.reviewsPerPull ?? 1,
      reviewCommentsPerPull: m.reviewCommentsPerPull ?? 1,
      releases: Math.min(tags, m.releases ?? 1),
      assetsPerRelease: m.assetsPerRelease ?? 1,
      labels: m.labels ?? 3,
      milestones: m.milestones ?? 1,
    },
  };
}

/** The explicit repositories of an organization followed by its generated batch. */
export function expandRepositories(org: OrganizationSeed): RepositorySeed[] {
  const out = [...(org.repositories ?? [])];
  const batch = org.generate;
  if (!batch) return out;
  const every = (n: number | undefined, i: number): boolean => n !== undefined && n > 0 && i % n === 0;
  for (let i = 1; i <= batch.count; i++) {
    const template = batch.template ?? {};
    out.push({
      ...template,
      name: `${batch.namePrefix ?? 'repo'}-${String(i).padStart(4, '0')}`,
      private: every(batch.privateEvery, i),
      wiki: every(batch.wikiEvery, i),
      lfsObjects: batch.lfsEvery ? (every(batch.lfsEvery, i) ? Math.max(template.lfsObjects ?? 0, 2) : 0) : (template.lfsObjects ?? 0),
    });
  }
  return out;
}
