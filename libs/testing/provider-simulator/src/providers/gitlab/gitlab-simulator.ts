import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import type { GitRunner } from '../../core/git/git-runner';
import type { RefCache } from '../../core/git/ref-cache';
import type { RouteInfo } from '../../core/http-router';
import type { IdentityLedger } from '../../core/identity-stats';
import { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import { MutationError } from '../../core/seeding/repository-mutations';
import { ProviderWorld } from '../../core/seeding/provider-world';
import type { RepositorySeed, SeedConfig } from '../../core/seeding/seed-config';
import { UnknownEntityError } from '../../core/world/world';
import { metadataCounts, type MetadataCounts } from '../../core/world/world-model';
import { GitlabAccess } from './gitlab-access';
import type { GitlabContext } from './gitlab-context';
import { gitlabUserIdentity, GitlabWorld, projectFullPath, projectLastActivityAt, type GitlabProject } from './gitlab-model';
import { resolveGitlabOptions, type GitlabSimulatorOptions } from './gitlab-options';
import { GitlabOAuthRoutes } from './gitlab-oauth-routes';
import { GitlabProvider } from './gitlab-provider';
import { GitlabRateLimits } from './gitlab-rate-limits';
import { GitlabSeeder, mergeRequestRef } from './gitlab-seeder';
import { notesOf } from './gitlab-serializers';

export interface GitlabPartDependencies {
  seed: SeedConfig;
  dataDir: string;
  clock: Clock;
  ledger: IdentityLedger;
  git: GitRunner;
  refs: RefCache;
  latencyMs: number;
  seedConcurrency: number;
  options?: GitlabSimulatorOptions;
}

/** GitLab's own view of a project, next to the provider-neutral summary. */
export interface GitlabProjectSummary {
  id: number;
  pathWithNamespace: string;
  visibility: string;
  /** Records per GitLab kind: what an export of the project reads. */
  counts: {
    issues: number;
    mergeRequests: number;
    /** Notes on issues. */
    issueNotes: number;
    /** Notes on merge requests: conversation notes and diff notes. */
    mergeRequestNotes: number;
    releases: number;
    /** Release asset links; `uploadLinks` of them are GitLab uploads with bytes. */
    releaseLinks: number;
    uploadLinks: number;
    labels: number;
    milestones: number;
    /** Labels and milestones of the project's group and its ancestors (`include_ancestor_groups`, `include_ancestors`). */
    groupLabels: number;
    groupMilestones: number;
  };
}

/** What the running simulator needs from its GitLab part (repository summaries share the GitHub shape). */
export interface GitlabRepositorySummaryFields {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  private: boolean;
  defaultBranch: string;
  refs: Record<string, string>;
  lfsOids: string[];
  hasWiki: boolean;
  wikiRefs: Record<string, string>;
  metadataCounts: MetadataCounts;
  gitlab: GitlabProjectSummary;
}

/**
 * The GitLab part of a running simulator: its world (seeded from `SeedConfig.gitlab`), its provider
 * plug-in, and the test-time views and mutations `RunningSimulator` routes to it for GitLab owners
 * (group full paths).
 */
export class GitlabSimulatorPart {
  readonly plugin: GitlabProvider;
  /** GitLab's OAuth provider: consent page and token endpoint */
  readonly oauth: GitlabOAuthRoutes;

  private constructor(
    private readonly gl: GitlabWorld,
    private readonly provider: ProviderWorld,
    private readonly seeder: GitlabSeeder,
    private readonly ctx: GitlabContext,
  ) {
    this.oauth = new GitlabOAuthRoutes(gl);
    ctx.webFlows = this.oauth;
    this.plugin = new GitlabProvider(ctx);
  }

  static async create(deps: GitlabPartDependencies): Promise<GitlabSimulatorPart> {
    const root = join(deps.dataDir, 'gitlab');
    await rm(root, { recursive: true, force: true });
    const provider = new ProviderWorld({
      reposRoot: join(root, 'git'),
      lfsRoot: join(root, 'lfs'),
      git: deps.git,
      refs: deps.refs,
      clock: deps.clock,
      seedConcurrency: deps.seedConcurrency,
      pullRef: mergeRequestRef,
    });
    const gl = new GitlabWorld(provider.world);
    const seeder = new GitlabSeeder(gl, provider, deps.seed.seed, deps.clock, deps.seedConcurrency);
    await seeder.seedAll(deps.seed.gitlab);
    const options = resolveGitlabOptions(deps.options);
    const ctx: GitlabContext = {
      gl,
      access: new GitlabAccess(gl),
      ledger: deps.ledger,
      limits: new GitlabRateLimits(options, deps.clock, deps.ledger),
      options,
      clock: deps.clock,
      latencyMs: deps.latencyMs,
      git: deps.git,
      refs: deps.refs,
      reposRoot: provider.reposRoot,
      lfs: provider.lfs,
      lfsTokens: new LfsActionTokens(),
      mutations: provider.mutations,
    };
    return new GitlabSimulatorPart(gl, provider, seeder, ctx);
  }

  /** Token name -> value. */
  tokens(): Record<string, string> {
    return Object.fromEntries(this.gl.tokens().map((t) => [t.name, t.value]));
  }

  /** Token name -> identity key (`gitlab:user:<id>`; bots of project and group tokens have their own). */
  identities(): Record<string, string> {
    return Object.fromEntries(this.gl.tokens().map((t) => [t.name, gitlabUserIdentity(this.gl.requireUser(t.userId))]));
  }

  identityOf(token: string): string | undefined {
    const found = this.gl.token(token);
    return found ? gitlabUserIdentity(this.gl.requireUser(found.userId)) : undefined;
  }

  /** Whether `owner` is a GitLab group (full path). */
  owns(owner: string): boolean {
    return this.gl.groupByPath(owner) !== undefined;
  }

  hasRepository(owner: string, name: string): boolean {
    return this.gl.projectByPath(`${owner}/${name}`) !== undefined;
  }

  listRepositories(owner: string): string[] {
    return this.gl.world.repositoriesOf(owner).map((r) => r.name);
  }

  repository(owner: string, name: string): GitlabRepositorySummaryFields {
    const project = this.gl.requireProject(owner, name);
    const { repo } = project;
    const counts = metadataCounts(repo.metadata);
    const gitlab = this.summary(project);
    return {
      id: repo.id,
      owner: project.group.fullPath,
      name: repo.name,
      fullName: projectFullPath(project),
      private: project.visibility !== 'public',
      defaultBranch: repo.defaultBranch,
      refs: this.provider.refsOf(repo.gitDir),
      lfsOids: [...repo.lfsOids],
      hasWiki: repo.wikiGitDir !== null,
      wikiRefs: repo.wikiGitDir ? this.provider.refsOf(repo.wikiGitDir) : {},
      // The provider-neutral keys with GitLab's meaning (see README): pulls = merge requests,
      // issueComments = notes on issues, reviewComments = notes on merge requests, reviews = 0.
      metadataCounts: {
        ...counts,
        issueComments: gitlab.counts.issueNotes,
        reviewComments: gitlab.counts.mergeRequestNotes,
        reviews: 0,
      },
      gitlab,
    };
  }

  async addCommits(owner: string, name: string, options: { branch: string; count: number }): Promise<void> {
    const project = this.gl.requireProject(owner, name);
    await this.ctx.mutations.addCommits(project.repo, options);
    // GitLab refreshes the head ref of every merge request whose source branch received the push.
    for (const issue of project.repo.metadata.issues) {
      if (issue.pull?.headRef !== options.branch) continue;
      const tip = await this.ctx.refs.ref(project.repo.gitDir, `refs/heads/${options.branch}`);
      if (tip) await this.ctx.git.run(['--git-dir', project.repo.gitDir, 'update-ref', mergeRequestRef(issue.number), tip.sha]);
    }
    this.ctx.refs.invalidate(project.repo.gitDir);
  }

  forcePush(owner: string, name: string, options: { branch: string }): Promise<{ oldSha: string; newSha: string }> {
    return this.ctx.mutations.forcePush(this.gl.requireProject(owner, name).repo, options);
  }

  /** A note on issue `iid` (what `addIssueComment` means for GitLab); bumps the issue's `updated_at`. */
  addIssueComment(owner: string, name: string, iid: number, body: string): void {
    this.addNote(`${owner}/${name}`, 'issue', iid, body);
  }

  addNote(projectPath: string, noteable: 'issue' | 'merge_request', iid: number, body: string): void {
    const project = this.gl.projectByPath(projectPath);
    if (!project) throw new UnknownEntityError(`No GitLab project ${projectPath}`);
    const target = project.repo.metadata.issues.find((i) => i.number === iid && (i.pull !== null) === (noteable === 'merge_request'));
    if (!target) throw new MutationError(`${projectPath} has no ${noteable === 'issue' ? 'issue' : 'merge request'} ${noteable === 'issue' ? '#' : '!'}${iid}`);
    this.ctx.mutations.addIssueComment(project.repo, iid, body);
    touchProjectActivity(project, this.ctx.clock.now());
  }

  async addRepository(owner: string, spec: RepositorySeed): Promise<void> {
    if (this.hasRepository(owner, spec.name)) throw new MutationError(`Project ${owner}/${spec.name} already exists`);
    await this.seeder.addProject(owner, spec);
  }

  deleteRepository(owner: string, name: string): void {
    this.gl.forgetProject(this.gl.requireProject(owner, name));
    this.provider.deleteRepository(owner, name);
  }

  resetBudgets(): void {
    this.plugin.resetBudgets();
  }

  restRoutes(): RouteInfo[] {
    return this.plugin.restRoutes();
  }

  private summary(project: GitlabProject): GitlabProjectSummary {
    const { metadata } = project.repo;
    const notes = (pull: boolean): number => metadata.issues.filter((i) => (i.pull !== null) === pull).reduce((n, i) => n + notesOf(project, i.number).length, 0);
    const counts = metadataCounts(metadata);
    return {
      id: project.id,
      pathWithNamespace: projectFullPath(project),
      visibility: project.visibility,
      counts: {
        issues: counts.issues,
        mergeRequests: counts.pulls,
        issueNotes: notes(false),
        mergeRequestNotes: notes(true),
        releases: counts.releases,
        releaseLinks: counts.releaseAssets,
        uploadLinks: project.uploadSecrets.size,
        labels: counts.labels,
        milestones: counts.milestones,
        groupLabels: this.gl.ancestry(project.group).reduce((n, g) => n + g.labels.length, 0),
        groupMilestones: this.gl.ancestry(project.group).reduce((n, g) => n + g.milestones.length, 0),
      },
    };
  }
}

/** GitLab moves a project's `last_activity_at` on activity, but at most once an hour. */
export const LAST_ACTIVITY_UPDATE_INTERVAL_MS = 3_600_000;

export function touchProjectActivity(project: GitlabProject, nowMs: number): void {
  const current = Date.parse(projectLastActivityAt(project));
  if (Number.isFinite(current) && nowMs - current < LAST_ACTIVITY_UPDATE_INTERVAL_MS) return;
  project.lastActivityAt = new Date(nowMs).toISOString();
}
