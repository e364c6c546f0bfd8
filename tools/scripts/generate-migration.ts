/**
 * `npm run db:generate-migration -- <app> <Name>`: writes apps/<app>/src/database/migrations/<ts>-<name>.ts
 * with the SQL that makes a scratch database match the app's entities. Runs the app's compiled
 * generator entry so tools never import app code.
 */
import { execFileSync } from 'node:child_process';
import { workspaceRoot } from '@repovault/testing/support';
import { join } from 'node:path';

const [app, name] = process.argv.slice(2);
if (!app || !name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  process.stderr.write('usage: npm run db:generate-migration -- <app> <PascalCaseName>\n');
  process.exit(2);
}
const root = workspaceRoot();
execFileSync(process.execPath, [join(root, 'dist/apps', app, 'src/database/generate-migration.js'), name, join(root, 'apps', app, 'src/database/migrations')], {
  stdio: 'inherit',
});
