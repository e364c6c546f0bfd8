import { listRefs, type RefEntry } from './bare-repository';
import type { GitRunner } from './git-runner';

/**
 * Refs of each bare repository, read once and kept until something writes to it (seeding, a test
 * mutation, a push), so API calls like `branches` do not spawn git every time.
 */
export class RefCache {
  private readonly cache = new Map<string, Promise<RefEntry[]>>();

  constructor(private readonly git: GitRunner) {}

  refs(gitDir: string): Promise<RefEntry[]> {
    let refs = this.cache.get(gitDir);
    if (!refs) {
      refs = listRefs(this.git, gitDir);
      this.cache.set(gitDir, refs);
      refs.catch(() => this.cache.delete(gitDir));
    }
    return refs;
  }

  async ref(gitDir: string, name: string): Promise<RefEntry | undefined> {
    return (await this.refs(gitDir)).find((r) => r.name === name);
  }

  invalidate(gitDir: string): void {
    this.cache.delete(gitDir);
  }
}
