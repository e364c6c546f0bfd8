import { join } from 'node:path';
import { createBareRepository, runFastImport } from '../git/bare-repository';
import type { GitRunner } from '../git/git-runner';
import type { RefCache } from '../git/ref-cache';
import type { LfsObjectStore } from '../lfs/lfs-object-store';
import { UnknownEntityError, type World } from '../world/world';
import { MutationError } from './repository-mutations';
import { ID_BASES } from '../world/id-allocator';
import type { RepositoryOwner, SimCredential, SimRepository, SimUser } from '../world/world-model';
import { generateMetadata } from './metadata-generator';
import { buildRepositoryImport, buildWikiImport, DEFAULT_BRANCH, planRepositoryLayout, type ContentAuthor } from './repository-content';
import { expandRepositories, resolveRepositorySeed, type RepositorySeed, type ResolvedRepositorySeed, type SeedConfig, type TokenSeed } from './seed-config';
import { validateSeedConfig } from './seed-config-validation';
import { base62FromSeed, deriveSeed, SeededRandom } from './seeded-random';
import { isoSeconds, SEED_EPOCH_SECONDS } from './timestamps';

export interface SeedStorage {
  /** GIT_PROJECT_ROOT: bare repositories live at `{reposRoot}/{owner}/{name}.git`. */
  reposRoot: string;
  lfs: LfsObjectStore;
  git: GitRunner;
  refCache: RefCache;
  /**
   * The ref a pull request's head is published under, or null for none. Default `refs/pull/N/head`
   * (GitHub); other providers name them differently or not at all.
   */
  pullRef?: (pullNumber: number) => string | null;
}

interface RepositoryPlan {
  repo: SimRepository;
  spec: ResolvedRepositorySeed;
  authors: ContentAuthor[];
  baseEpochSeconds: number;
  branches: string[];
  tags: Array<{ name: string; annotated: boolean }>;
}

/**
 * Turns a seed config into the world: accounts, credentials, and repositories written with
 * `git fast-import`. Everything that decides ids or content runs synchronously in config order, so
 * only the (parallel) disk writes are concurrent and results never depend on timing.
 */
export class WorldSeeder {
  private seedString = '';

  constructor(
    private readonly world: World,
    private readonly storage: SeedStorage,
    private readonly concurrency = 4,
  ) {}

  async seedAll(input: SeedConfig): Promise<void> {
    const config = validateSeedConfig(input);
    this.seedString = config.seed;
    for (const user of config.users) this.addUser(user.login, user.name, user.email);
    for (const org of config.organizations) {
      const members = new Map<number, 'admin' | 'member'>();
      for (const login of org.members ?? []) members.set(this.requireUser(login).id, 'member');
      for (const login of org.owners) members.set(this.requireUser(login).id, 'admin');
      this.world.addOrganization({
        id: this.world.ids.allocate('account'),
        login: org.login,
        name: org.name ?? org.login,
        description: org.description ?? `The ${org.login} organization`,
        createdAt: isoSeconds(SEED_EPOCH_SECONDS - 86_400 * 30),
        members,
        memberPermission: org.memberPermission ?? 'read',
      });
    }
    for (const user of config.users) {
      for (const token of user.tokens ?? []) this.world.addCredential(this.credential(this.requireUser(user.login), token));
    }
    const plans = config.organizations.flatMap((org) => expandRepositories(org).map((spec) => this.plan(org.login, spec)));
    await runPool(plans, this.concurrency, (plan) => this.materialize(plan));
    for (const plan of plans) this.world.addRepository(plan.repo);
  }

  /** A repository added during a test, generated the same way as seeded ones. */
  async addRepository(ownerLogin: string, spec: RepositorySeed): Promise<SimRepository> {
    if (this.world.repository(ownerLogin, spec.name)) throw new MutationError(`Repository ${ownerLogin}/${spec.name} already exists`);
    const plan = this.plan(ownerLogin, spec);
    await this.materialize(plan);
    this.world.addRepository(plan.repo);
    return plan.repo;
  }

  private addUser(login: string, name?: string, email?: string): SimUser {
    const id = this.world.ids.allocate('account');
    const user: SimUser = {
      id,
      login,
      name: name ?? login.charAt(0).toUpperCase() + login.slice(1),
      email: email ?? `${login.toLowerCase()}@example.com`,
      createdAt: isoSeconds(SEED_EPOCH_SECONDS - 86_400 * 365 + id * 60),
    };
    this.world.addUser(user);
    return user;
  }

  private credential(user: SimUser, token: TokenSeed): SimCredential {
    const kind = token.kind ?? 'classic';
    const value =
      token.value ??
      (kind === 'classic'
        ? `ghp_${base62FromSeed(36, this.seedString, 'token', token.name)}`
        : `github_pat_${base62FromSeed(22, this.seedString, 'token', token.name)}_${base62FromSeed(59, this.seedString, 'token-secret', token.name)}`);
    const repositories = token.repositories === undefined || token.repositories === 'all' ? 'all' : token.repositories.map((r) => r.toLowerCase());
    return {
      name: token.name,
      provider: 'github',
      kind,
      value,
      userId: user.id,
      scopes: kind === 'classic' ? (token.scopes ?? ['repo', 'read:org']) : [],
      organizations: (token.organizations ?? []).map((o) => o.toLowerCase()),
      repositories,
      permission: token.permission ?? 'read',
    };
  }

  private plan(ownerLogin: string, input: RepositorySeed): RepositoryPlan {
    const spec = resolveRepositorySeed(input);
    const { owner, people } = this.owner(ownerLogin);
    const id = this.world.ids.allocate('repository');
    const fullName = `${owner.login}/${spec.name}`;
    const contentSeed = deriveSeed(this.seedString, 'repository', fullName.toLowerCase());
    const baseEpochSeconds = SEED_EPOCH_SECONDS + (id - ID_BASES.repository) * 3600;
    const layout = planRepositoryLayout(spec, contentSeed);
    const metadata = generateMetadata({
      ids: this.world.ids,
      random: new SeededRandom(deriveSeed(contentSeed, 'metadata')),
      spec: spec.metadata,
      people: people.map((p) => p.id),
      baseEpochSeconds,
      defaultBranch: DEFAULT_BRANCH,
      branches: layout.branches,
      tags: layout.tags.map((t) => t.name),
    });
    const gitDir = join(this.storage.reposRoot, owner.login, `${spec.name}.git`);
    const repo: SimRepository = {
      id,
      owner,
      name: spec.name,
      private: spec.private,
      description: spec.description,
      defaultBranch: DEFAULT_BRANCH,
      createdAt: isoSeconds(baseEpochSeconds),
      updatedAt: isoSeconds(baseEpochSeconds),
      pushedAt: isoSeconds(baseEpochSeconds),
      gitDir,
      wikiGitDir: spec.wiki ? join(this.storage.reposRoot, owner.login, `${spec.name}.wiki.git`) : null,
      lfsOids: [],
      metadata,
      contentSeed,
      mutationCount: 0,
    };
    const authors = people.map((p) => ({ name: p.name, email: p.email }));
    return { repo, spec, authors, baseEpochSeconds, branches: layout.branches, tags: layout.tags };
  }

  private async materialize(plan: RepositoryPlan): Promise<void> {
    const { repo, spec } = plan;
    const imported = buildRepositoryImport({
      fullName: `${repo.owner.login}/${repo.name}`,
      contentSeed: repo.contentSeed,
      spec,
      layout: { branches: plan.branches, tags: plan.tags },
      authors: plan.authors,
      baseEpochSeconds: plan.baseEpochSeconds,
      pullHeads: repo.metadata.issues.flatMap((i) => {
        const ref = i.pull ? (this.storage.pullRef ? this.storage.pullRef(i.number) : `refs/pull/${i.number}/head`) : null;
        return i.pull && ref !== null ? [{ number: i.number, branch: i.pull.headRef, ref }] : [];
      }),
    });
    await createBareRepository(repo.gitDir, repo.defaultBranch);
    await runFastImport(this.storage.git, repo.gitDir, imported.script);
    for (const content of imported.lfsObjects) repo.lfsOids.push(await this.storage.lfs.put(repo.id, content));
    repo.lfsOids.sort();
    if (repo.wikiGitDir) {
      await createBareRepository(repo.wikiGitDir, 'master');
      await runFastImport(this.storage.git, repo.wikiGitDir, buildWikiImport(`${repo.owner.login}/${repo.name}`, repo.contentSeed, plan.authors, plan.baseEpochSeconds));
    }
    const latestMetadata = Math.max(...repo.metadata.issues.map((i) => Date.parse(i.updatedAt) / 1000), imported.lastCommitEpoch);
    repo.pushedAt = isoSeconds(imported.lastCommitEpoch);
    repo.updatedAt = isoSeconds(latestMetadata);
    this.storage.refCache.invalidate(repo.gitDir);
  }

  private owner(login: string): { owner: RepositoryOwner; people: SimUser[] } {
    const org = this.world.organization(login);
    if (org) {
      const people = [...org.members.keys()].map((id) => this.world.requireUserById(id));
      return { owner: { kind: 'organization', id: org.id, login: org.login }, people };
    }
    const user = this.requireUser(login);
    return { owner: { kind: 'user', id: user.id, login: user.login }, people: [user] };
  }

  private requireUser(login: string): SimUser {
    const user = this.world.user(login);
    if (!user) throw new UnknownEntityError(`Unknown account ${login}`);
    return user;
  }
}

async function runPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
