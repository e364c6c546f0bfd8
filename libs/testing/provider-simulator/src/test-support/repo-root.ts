import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The monorepo root: the nearest folder above `from` that holds `nx.json`. */
export function repoRoot(from: string = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** `<repo>/../shared/specs`: the providers' published API descriptions, kept outside the repository. */
export function sharedSpecsDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'specs');
}
