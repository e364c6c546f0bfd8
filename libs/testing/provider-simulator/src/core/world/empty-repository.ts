import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createBareRepository } from '../git/bare-repository';
import type { GitRunner } from '../git/git-runner';
import type { RefCache } from '../git/ref-cache';
import { deriveSeed } from '../seeding/seeded-random';
import { isoFromMs } from '../seeding/timestamps';
import { UnknownEntityError, type World } from './world';
import type { SimRepository } from './world-model';

/** Where a provider keeps its bare repositories, and the git services that write them. */
export interface RepositoryStorage {
  /** `{reposRoot}/{owner}/{name}.git` (and `.wiki.git`). */
  reposRoot: string;
  git: GitRunner;
  refs: RefCache;
}

export interface EmptyRepositorySpec {
  name: string;
  private: boolean;
  description: string;
  /** Where HEAD points before anything was pushed (the provider's default branch name). */
  defaultBranch: string;
  /**
   * Ref prefixes the provider manages itself: a push that tries to create, move or delete a ref
   * under them is refused by git (`receive.hideRefs`, "deny updating a hidden ref"), as hosting
   * providers refuse pushes to their pull request refs. Clones still see them.
   */
  readOnlyRefPrefixes?: readonly string[];
}

/**
 * A repository created through a provider's API: an empty bare repository (no commits, no README),
 * registered in the world under an existing organization (or user account: GitHub's user
 * repositories), with no metadata yet. Its wiki is created
 * later (`createWikiRepository`) by the providers that keep wikis as git repositories.
 */
export async function createEmptyRepository(world: World, storage: RepositoryStorage, ownerLogin: string, spec: EmptyRepositorySpec, nowMs: number): Promise<SimRepository> {
  const org = world.organization(ownerLogin) ?? world.user(ownerLogin);
  if (!org) throw new UnknownEntityError(`No organization ${ownerLogin}`);
  const ownerKind = world.organization(ownerLogin) ? 'organization' : 'user';
  if (world.repository(org.login, spec.name)) throw new Error(`Repository ${org.login}/${spec.name} already exists`);
  const id = world.ids.allocate('repository');
  const now = isoFromMs(nowMs);
  const repo: SimRepository = {
    id,
    owner: { kind: ownerKind, id: org.id, login: org.login },
    name: spec.name,
    private: spec.private,
    description: spec.description,
    defaultBranch: spec.defaultBranch,
    createdAt: now,
    updatedAt: now,
    pushedAt: now,
    gitDir: join(storage.reposRoot, org.login, `${spec.name}.git`),
    wikiGitDir: null,
    lfsOids: [],
    metadata: { labels: [], milestones: [], issues: [], issueComments: [], reviews: [], reviewComments: [], releases: [] },
    contentSeed: deriveSeed('created-through-the-api', String(id), `${org.login}/${spec.name}`.toLowerCase()),
    mutationCount: 0,
  };
  await createBareRepository(repo.gitDir, spec.defaultBranch);
  await hideRefs(storage.git, repo.gitDir, spec.readOnlyRefPrefixes ?? []);
  world.addRepository(repo);
  storage.refs.invalidate(repo.gitDir);
  return repo;
}

/** Creates the (empty) wiki repository of `repo` if it has none yet; returns its directory. */
export async function createWikiRepository(storage: RepositoryStorage, repo: SimRepository, wikiBranch: string): Promise<string> {
  if (repo.wikiGitDir) return repo.wikiGitDir;
  const wikiGitDir = join(storage.reposRoot, repo.owner.login, `${repo.name}.wiki.git`);
  await createBareRepository(wikiGitDir, wikiBranch);
  repo.wikiGitDir = wikiGitDir;
  return wikiGitDir;
}

async function hideRefs(git: GitRunner, gitDir: string, prefixes: readonly string[]): Promise<void> {
  for (const prefix of prefixes) {
    await git.run(['config', '--file', join(gitDir, 'config'), '--add', 'receive.hideRefs', prefix.replace(/\/+$/, '')]);
  }
}

/** Whether a bare repository has any ref at all (loose or packed), read without spawning git. */
export function hasAnyRef(gitDir: string): boolean {
  const packed = join(gitDir, 'packed-refs');
  if (existsSync(packed) && readFileSync(packed, 'utf8').split('\n').some((line) => /^[0-9a-f]{40,64} refs\//.test(line))) return true;
  const walk = (dir: string): boolean => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return false;
    }
    return entries.some((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? walk(path) : true;
    });
  };
  return walk(join(gitDir, 'refs'));
}
