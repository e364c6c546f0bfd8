import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureHelm, workspaceRoot } from './support/helm-binary';

/** Fetches helm once for every test file, and builds dist/ (the config check loads the apps' config schemas). */
export default function globalSetup(): void {
  ensureHelm();
  execFileSync(join(workspaceRoot(), 'tools/build.sh'), { stdio: 'inherit' });
}
