import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { SimRepository } from '../../core/world/world-model';

/** What Bitbucket reports as a repository's `size`: the bytes of its packs. */
export function repositorySize(repo: SimRepository): number {
  try {
    const pack = join(repo.gitDir, 'objects', 'pack');
    return readdirSync(pack).reduce((n, f) => n + statSync(join(pack, f)).size, 0);
  } catch {
    return 0;
  }
}
