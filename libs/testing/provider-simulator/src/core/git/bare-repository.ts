import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRunner } from './git-runner';

export interface RefEntry {
  /** Full ref name, e.g. `refs/heads/main`. */
  name: string;
  /** The object the ref points at (a tag object for annotated tags). */
  sha: string;
  /** For annotated tags, the commit the tag points at; otherwise null. */
  peeled: string | null;
}

/**
 * Lays out a bare repository by hand: `git init` copies hook samples and costs a process, which adds
 * up when seeding a thousand repositories.
 */
export async function createBareRepository(gitDir: string, defaultBranch: string): Promise<void> {
  await mkdir(join(gitDir, 'objects', 'pack'), { recursive: true });
  await mkdir(join(gitDir, 'objects', 'info'), { recursive: true });
  await mkdir(join(gitDir, 'refs', 'heads'), { recursive: true });
  await mkdir(join(gitDir, 'refs', 'tags'), { recursive: true });
  await writeFile(join(gitDir, 'HEAD'), `ref: refs/heads/${defaultBranch}\n`);
  await writeFile(
    join(gitDir, 'config'),
    [
      '[core]',
      '\trepositoryformatversion = 0',
      '\tfilemode = true',
      '\tbare = true',
      // Keep small imports as one pack instead of dozens of loose objects per repository.
      '[fastimport]',
      '\tunpackLimit = 1',
      // Who may push is decided before git runs; git itself must not refuse an authorised push.
      '[http]',
      '\treceivepack = true',
      '[uploadpack]',
      '\tallowFilter = true',
      '\tallowAnySHA1InWant = false',
      '',
    ].join('\n'),
  );
}

export async function removeBareRepository(gitDir: string): Promise<void> {
  await rm(gitDir, { recursive: true, force: true });
}

const REF_FORMAT = '--format=%(refname)%00%(objectname)%00%(*objectname)';

export async function listRefs(git: GitRunner, gitDir: string): Promise<RefEntry[]> {
  return parseRefs(await git.run(['--git-dir', gitDir, 'for-each-ref', REF_FORMAT]));
}

export function listRefsSync(git: GitRunner, gitDir: string): RefEntry[] {
  return parseRefs(git.runSync(['--git-dir', gitDir, 'for-each-ref', REF_FORMAT]));
}

function parseRefs(output: Buffer): RefEntry[] {
  return output
    .toString('utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [name, sha, peeled] = line.split('\u0000');
      return { name, sha, peeled: peeled ? peeled : null };
    });
}

export async function runFastImport(git: GitRunner, gitDir: string, script: Buffer, options: { force?: boolean } = {}): Promise<void> {
  const args = ['--git-dir', gitDir, 'fast-import', '--quiet', '--done'];
  if (options.force) args.push('--force');
  await git.run(args, { input: script });
}
