import { createHash } from 'node:crypto';
import { FastImportScript, type GitIdent } from '../git/fast-import-script';
import type { ResolvedRepositorySeed } from './seed-config';
import { deriveSeed, SeededRandom } from './seeded-random';

export const DEFAULT_BRANCH = 'main';
export const WIKI_BRANCH = 'master';

export interface ContentAuthor {
  name: string;
  email: string;
}

export interface RepositoryLayout {
  branches: string[];
  tags: Array<{ name: string; annotated: boolean }>;
}

export interface RepositoryImport {
  script: Buffer;
  lfsObjects: Buffer[];
  /** Epoch seconds of the newest commit: the repository's `pushed_at`. */
  lastCommitEpoch: number;
}

const TOPICS = ['login-flow', 'retry-budget', 'docs', 'cache', 'metrics', 'cleanup', 'parser', 'ui', 'storage', 'api'];

/** Branch and tag names, decided before metadata so pull requests and releases can refer to them. */
export function planRepositoryLayout(spec: ResolvedRepositorySeed, contentSeed: string): RepositoryLayout {
  const random = new SeededRandom(deriveSeed(contentSeed, 'layout'));
  const branches: string[] = [];
  for (let i = 0; i < spec.branches; i++) {
    const kind = random.pick(['feature', 'fix', 'chore'] as const);
    branches.push(`${kind}/${random.pick(TOPICS)}-${i + 1}`);
  }
  const tags = Array.from({ length: spec.tags }, (_, i) => ({ name: `v0.${i + 1}.0`, annotated: i % 2 === 0 }));
  return { branches, tags };
}

export interface RepositoryImportInput {
  fullName: string;
  contentSeed: string;
  spec: ResolvedRepositorySeed;
  layout: RepositoryLayout;
  authors: ContentAuthor[];
  baseEpochSeconds: number;
  /** `ref` overrides where the pull request's head is published (default `refs/pull/N/head`, as GitHub). */
  pullHeads: Array<{ number: number; branch: string; ref?: string }>;
}

/**
 * The whole history of a repository as one fast-import stream: the default branch, branches forked
 * from it (never from its tip, so rewriting the tip really orphans it), tags on older commits, LFS
 * pointer files, and `refs/pull/N/head` for each pull request as GitHub exposes them.
 */
export function buildRepositoryImport(input: RepositoryImportInput): RepositoryImport {
  const { spec, layout } = input;
  const random = new SeededRandom(deriveSeed(input.contentSeed, 'git'));
  const script = new FastImportScript();
  let clock = input.baseEpochSeconds;
  const nextIdent = (): GitIdent => {
    clock += 600;
    const author = random.pick(input.authors);
    return { name: author.name, email: author.email, epochSeconds: clock };
  };

  const lfsObjects = buildLfsObjects(spec.lfsObjects, input.contentSeed);
  const mainMarks: number[] = [];
  for (let i = 0; i < spec.commitsPerBranch; i++) {
    const files = [{ path: 'README.md', content: `# ${input.fullName}\n\n${random.words(12)}\n\nRevision ${i + 1}\n` }];
    files.push({ path: `src/module-${i + 1}.txt`, content: `${random.words(20)}\n` });
    if (i === 0 && lfsObjects.length > 0) {
      files.push({ path: '.gitattributes', content: '*.bin filter=lfs diff=lfs merge=lfs -text\n' });
      lfsObjects.forEach((content, k) => files.push({ path: `assets/blob-${k + 1}.bin`, content: lfsPointer(content) }));
    }
    const message = i === 0 ? 'Initial commit\n' : `Update ${random.words(3)}\n`;
    mainMarks.push(script.commit({ ref: `refs/heads/${DEFAULT_BRANCH}`, author: nextIdent(), message, from: i === 0 ? undefined : mainMarks[i - 1], files }));
  }

  // Forks and tags use commits before the tip whenever there is more than one.
  const olderCommits = mainMarks.length > 1 ? mainMarks.slice(0, -1) : mainMarks;
  const branchTips = new Map<string, number>();
  for (const branch of layout.branches) {
    let parent = random.pick(olderCommits);
    for (let i = 0; i < spec.commitsPerBranch; i++) {
      const slug = branch.replace(/[^a-z0-9]+/gi, '-');
      parent = script.commit({
        ref: `refs/heads/${branch}`,
        author: nextIdent(),
        message: `${branch}: ${random.words(4)}\n`,
        from: parent,
        files: [{ path: `src/${slug}-${i + 1}.txt`, content: `${random.words(16)}\n` }],
      });
    }
    branchTips.set(branch, parent);
  }

  layout.tags.forEach((tag, i) => {
    const target = olderCommits[i % olderCommits.length];
    if (tag.annotated) script.annotatedTag(tag.name, target, nextIdent(), `Release ${tag.name}\n`);
    else script.resetRef(`refs/tags/${tag.name}`, target);
  });

  for (const pull of input.pullHeads) {
    const tip = branchTips.get(pull.branch);
    if (tip !== undefined) script.resetRef(pull.ref ?? `refs/pull/${pull.number}/head`, tip);
  }
  return { script: script.build(), lfsObjects, lastCommitEpoch: clock };
}

/** A GitHub wiki: a few pages on `master`. */
export function buildWikiImport(fullName: string, contentSeed: string, authors: ContentAuthor[], baseEpochSeconds: number): Buffer {
  const random = new SeededRandom(deriveSeed(contentSeed, 'wiki'));
  const script = new FastImportScript();
  const author = random.pick(authors);
  const first = script.commit({
    ref: `refs/heads/${WIKI_BRANCH}`,
    author: { ...author, epochSeconds: baseEpochSeconds + 300 },
    message: 'Initial Home page\n',
    files: [{ path: 'Home.md', content: `Welcome to the ${fullName} wiki!\n\n${random.words(15)}\n` }],
  });
  script.commit({
    ref: `refs/heads/${WIKI_BRANCH}`,
    author: { ...random.pick(authors), epochSeconds: baseEpochSeconds + 900 },
    message: 'Add setup page\n',
    from: first,
    files: [{ path: 'Setup.md', content: `# Setup\n\n${random.words(25)}\n` }],
  });
  return script.build();
}

function buildLfsObjects(count: number, contentSeed: string): Buffer[] {
  const random = new SeededRandom(deriveSeed(contentSeed, 'lfs'));
  return Array.from({ length: count }, () => random.bytes(random.int(512, 4096)));
}

export function lfsPointer(content: Buffer): string {
  const oid = createHash('sha256').update(content).digest('hex');
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${oid}\nsize ${content.length}\n`;
}
