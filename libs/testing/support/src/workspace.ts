import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const APP_NAMES = ['api-gateway', 'org-service', 'credential-service', 'plan-service', 'backup-worker'] as const;
export type AppName = (typeof APP_NAMES)[number];

/** The repository root (the directory of the package.json named "repovault"). */
export function workspaceRoot(start = __dirname): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'repovault') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the repovault workspace root');
    dir = parent;
  }
}

/** Compiles apps and libs to dist/ with swc (well under a second). */
export function buildWorkspace(root = workspaceRoot()): void {
  execFileSync(join(root, 'tools/build.sh'), [], {
    cwd: root,
    stdio: 'pipe',
  });
}

export function appEntry(app: AppName, file: 'main' | 'migrate', root = workspaceRoot()): string {
  return join(root, 'dist', 'apps', app, 'src', `${file}.js`);
}

/** Applies every service's migrations to a database. */
export function migrateAll(databaseUrl: string, root = workspaceRoot()): void {
  for (const app of APP_NAMES) {
    execFileSync(process.execPath, [appEntry(app, 'migrate', root)], {
      env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: databaseUrl },
      stdio: 'pipe',
    });
  }
}
