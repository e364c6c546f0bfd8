// Builds dist/ once and migrates the shared test database for every service (plain JS: Jest does not
// resolve the workspace's path aliases in global set-up files).
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = function globalSetup() {
  const root = join(__dirname, '..');
  execFileSync(join(root, 'tools/build.sh'), { stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'dist/tools/scripts/migrate.js')], {
    stdio: 'inherit',
    env: { ...process.env, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/repovault_test' },
  });
};
