import { rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../clock';
import { listRefsSync } from '../git/bare-repository';
import type { GitRunner } from '../git/git-runner';
import type { RefCache } from '../git/ref-cache';
import { LfsObjectStore } from '../lfs/lfs-object-store';
import { World } from '../world/world';
import { metadataCounts, type MetadataCounts, type SimRepository } from '../world/world-model';
import { RepositoryMutations } from './repository-mutations';
import type { RepositorySeed, SeedConfig } from './seed-config';
import { WorldSeeder } from './world-seeder';

export interface ProviderRepositorySummary {
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
  /** The world's metadata (GitHub-shaped counts); providers add their own view next to it. */
  metadataCounts: MetadataCounts;
}

export interface ProviderWorldOptions {
  /** Where this provider's bare repositories live: `{reposRoot}/{owner}/{name}.git`. */
  reposRoot: string;
  /** This provider's LFS objects (repository ids are only unique within one world). */
  lfsRoot: string;
  git: GitRunner;
  refs: RefCache;
  clock: Clock;
  seedConcurrency: number;
  /** Where a pull request's head is published; null for providers that publish none. */
  pullRef: (pullNumber: number) => string | null;
}

/**
 * A world of its own for a provider whose namespace has nothing to do with GitHub's (a Bitbucket
 * workspace `acme` and a GitHub organization `acme` are different things), seeded, stored and mutated
 * with the same generators as the GitHub world.
 */
export class ProviderWorld {
  readonly world = new World();
  readonly lfs: LfsObjectStore;
  readonly mutations: RepositoryMutations;
  private readonly seeder: WorldSeeder;

  constructor(private readonly options: ProviderWorldOptions) {
    this.lfs = new LfsObjectStore(options.lfsRoot);
    this.mutations = new RepositoryMutations(this.world, options.git, options.refs, options.clock, options.pullRef);
    this.seeder = new WorldSeeder(
      this.world,
      { reposRoot: options.reposRoot, lfs: this.lfs, git: options.git, refCache: options.refs, pullRef: options.pullRef },
      options.seedConcurrency,
    );
  }

  get reposRoot(): string {
    return this.options.reposRoot;
  }

  get git(): GitRunner {
    return this.options.git;
  }

  get refs(): RefCache {
    return this.options.refs;
  }

  async seed(config: SeedConfig): Promise<void> {
    await mkdir(this.options.reposRoot, { recursive: true });
    await mkdir(this.options.lfsRoot, { recursive: true });
    await this.seeder.seedAll(config);
  }

  /** Whether `owner` (an organization of this world) is served by this provider. */
  owns(owner: string): boolean {
    return this.world.organization(owner) !== undefined;
  }

  hasRepository(owner: string, name: string): boolean {
    return this.world.repository(owner, name) !== undefined;
  }

  listRepositories(owner: string): string[] {
    return this.world.repositoriesOf(owner).map((r) => r.name);
  }

  async addRepository(owner: string, spec: RepositorySeed): Promise<SimRepository> {
    return this.seeder.addRepository(owner, spec);
  }

  // Changes made during a test, as if someone pushed or commented upstream (see RepositoryMutations).

  async addCommits(owner: string, name: string, options: { branch: string; count: number }): Promise<void> {
    await this.mutations.addCommits(this.world.requireRepository(owner, name), options);
  }

  forcePush(owner: string, name: string, options: { branch: string }): Promise<{ oldSha: string; newSha: string }> {
    return this.mutations.forcePush(this.world.requireRepository(owner, name), options);
  }

  /** A comment on issue or pull request `number` (one numbering); bumps its `updated_at`. */
  addIssueComment(owner: string, name: string, number: number, body: string): void {
    this.mutations.addIssueComment(this.world.requireRepository(owner, name), number, body);
  }

  deleteRepository(owner: string, name: string): SimRepository {
    const repo = this.world.removeRepository(owner, name);
    this.options.refs.invalidate(repo.gitDir);
    for (const dir of [repo.gitDir, repo.wikiGitDir, join(this.options.lfsRoot, String(repo.id))]) {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    return repo;
  }

  /** The provider-neutral summary of one of this world's repositories (the shape of `RepositorySummary`). */
  summary(owner: string, name: string): ProviderRepositorySummary {
    const repo = this.world.requireRepository(owner, name);
    return {
      id: repo.id,
      owner: repo.owner.login,
      name: repo.name,
      fullName: `${repo.owner.login}/${repo.name}`,
      private: repo.private,
      defaultBranch: repo.defaultBranch,
      refs: this.refsOf(repo.gitDir),
      lfsOids: [...repo.lfsOids],
      hasWiki: repo.wikiGitDir !== null,
      wikiRefs: repo.wikiGitDir ? this.refsOf(repo.wikiGitDir) : {},
      metadataCounts: metadataCounts(repo.metadata),
    };
  }

  /** Every ref of a bare repository (name -> object id), read synchronously for summaries. */
  refsOf(gitDir: string): Record<string, string> {
    return Object.fromEntries(listRefsSync(this.options.git, gitDir).map((r) => [r.name, r.sha]));
  }
}
