import type { Clock } from '../clock';
import { runFastImport } from '../git/bare-repository';
import { FastImportScript, type GitIdent } from '../git/fast-import-script';
import type { GitRunner } from '../git/git-runner';
import type { RefCache } from '../git/ref-cache';
import type { World } from '../world/world';
import { ID_BASES } from '../world/id-allocator';
import type { IssueCommentRecord, SimRepository } from '../world/world-model';
import { deriveSeed, SeededRandom } from './seeded-random';
import { isoFromMs, SEED_EPOCH_SECONDS } from './timestamps';

export class MutationError extends Error {}

/**
 * Changes made during a test, as if someone pushed or commented upstream. Commit content and dates
 * stay reproducible (derived from the repository's seed and a mutation counter); `pushed_at`,
 * `updated_at` and comment times use the clock, so `since=` filters see them as new.
 */
export class RepositoryMutations {
  constructor(
    private readonly world: World,
    private readonly git: GitRunner,
    private readonly refCache: RefCache,
    private readonly clock: Clock,
    /** Where a pull request's head ref lives (null: nowhere); GitHub's `refs/pull/N/head` by default. */
    private readonly pullRef: (pullNumber: number) => string | null = (n) => `refs/pull/${n}/head`,
  ) {}

  async addCommits(repo: SimRepository, options: { branch: string; count: number }): Promise<{ sha: string }> {
    if (!Number.isInteger(options.count) || options.count < 1) throw new MutationError('count must be a whole number >= 1');
    this.refCache.invalidate(repo.gitDir);
    const tip = (await this.refCache.ref(repo.gitDir, `refs/heads/${options.branch}`)) ?? (await this.refCache.ref(repo.gitDir, `refs/heads/${repo.defaultBranch}`));
    const random = this.random(repo);
    const script = new FastImportScript();
    let parent: number | string | undefined = tip?.sha;
    for (let i = 0; i < options.count; i++) {
      parent = script.commit({
        ref: `refs/heads/${options.branch}`,
        author: this.ident(repo, random),
        message: `Add ${random.words(3)}\n`,
        from: parent,
        files: [{ path: `changes/change-${repo.mutationCount}-${i + 1}.txt`, content: `${random.words(12)}\n` }],
      });
    }
    await runFastImport(this.git, repo.gitDir, script.build());
    return { sha: await this.pushed(repo, options.branch) };
  }

  /** Replaces the branch tip by a different commit on its parent: the old tip becomes unreachable upstream. */
  async forcePush(repo: SimRepository, options: { branch: string }): Promise<{ oldSha: string; newSha: string }> {
    this.refCache.invalidate(repo.gitDir);
    const ref = `refs/heads/${options.branch}`;
    const tip = await this.refCache.ref(repo.gitDir, ref);
    if (!tip) throw new MutationError(`${repo.owner.login}/${repo.name} has no branch ${options.branch}`);
    const parent = await this.firstParent(repo.gitDir, tip.sha);
    const random = this.random(repo);
    const script = new FastImportScript();
    script.clearRef(ref);
    const mark = script.commit({
      ref,
      author: this.ident(repo, random),
      message: `Rewrite ${random.words(3)}\n`,
      from: parent,
      files: [{ path: `rewritten/rewrite-${repo.mutationCount}.txt`, content: `${random.words(12)}\n` }],
    });
    // GitHub (and Bitbucket DC) move the pull request refs of a force-pushed head branch along with it.
    for (const issue of repo.metadata.issues) {
      const pullRef = issue.pull?.headRef === options.branch ? this.pullRef(issue.number) : null;
      if (pullRef !== null) script.resetRef(pullRef, mark);
    }
    await runFastImport(this.git, repo.gitDir, script.build(), { force: true });
    return { oldSha: tip.sha, newSha: await this.pushed(repo, options.branch) };
  }

  addIssueComment(repo: SimRepository, issueNumber: number, body: string, authorLogin?: string): IssueCommentRecord {
    const issue = repo.metadata.issues.find((i) => i.number === issueNumber);
    if (!issue) throw new MutationError(`${repo.owner.login}/${repo.name} has no issue #${issueNumber}`);
    const authorId = authorLogin ? this.world.user(authorLogin)?.id : this.defaultAuthorId(repo);
    if (authorId === undefined) throw new MutationError(`Unknown user ${authorLogin ?? ''}`);
    const now = isoFromMs(this.clock.now());
    const comment: IssueCommentRecord = { id: this.world.ids.allocate('issueComment'), issueNumber, authorId, body, createdAt: now, updatedAt: now };
    repo.metadata.issueComments.push(comment);
    issue.updatedAt = now;
    return comment;
  }

  /** Called after anything wrote refs (including a push over HTTP). */
  touchPushed(repo: SimRepository): void {
    this.refCache.invalidate(repo.gitDir);
    const now = isoFromMs(this.clock.now());
    repo.pushedAt = now;
    repo.updatedAt = now;
  }

  private async pushed(repo: SimRepository, branch: string): Promise<string> {
    this.touchPushed(repo);
    const head = await this.refCache.ref(repo.gitDir, `refs/heads/${branch}`);
    if (!head) throw new MutationError(`branch ${branch} missing after import`);
    return head.sha;
  }

  private async firstParent(gitDir: string, sha: string): Promise<string | undefined> {
    try {
      return (await this.git.run(['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', `${sha}^`])).toString('utf8').trim() || undefined;
    } catch {
      return undefined; // a root commit: its replacement is a root commit too
    }
  }

  private random(repo: SimRepository): SeededRandom {
    repo.mutationCount++;
    return new SeededRandom(deriveSeed(repo.contentSeed, 'mutation', String(repo.mutationCount)));
  }

  private ident(repo: SimRepository, random: SeededRandom): GitIdent {
    const user = this.world.requireUserById(this.defaultAuthorId(repo));
    const epochSeconds = SEED_EPOCH_SECONDS + (repo.id - ID_BASES.repository) * 3600 + 30 * 86_400 + repo.mutationCount * 600 + random.int(0, 59);
    return { name: user.name, email: user.email, epochSeconds };
  }

  private defaultAuthorId(repo: SimRepository): number {
    if (repo.owner.kind === 'user') return repo.owner.id;
    const org = this.world.organization(repo.owner.login);
    const admin = org ? [...org.members].find(([, role]) => role === 'admin') : undefined;
    return admin ? admin[0] : repo.owner.id;
  }
}
