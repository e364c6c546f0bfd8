// Loads an app's real config schema from dist/ and checks an environment against it, the way the
// app does at start (REPOVAULT_ENV=production). Input on stdin: { app, env }. Output: JSON report.
const { join } = require('node:path');

const SCHEMAS = {
  'api-gateway': ['config/gateway.config.js', 'gatewayConfigSchema'],
  'org-service': ['config/org-service.config.js', 'orgConfigSchema'],
  'credential-service': ['config/credential-service.config.js', 'credentialConfigSchema'],
  'plan-service': ['config/plan-service.config.js', 'planConfigSchema'],
  'backup-worker': ['config/backup-worker.config.js', 'workerConfigSchema'],
};

const root = join(__dirname, '..', '..', '..', '..');
let input = '';
process.stdin.on('data', (chunk) => (input += chunk));
process.stdin.on('end', () => {
  // only: load just these fields (a migration step reads DATABASE_URL only, the Redis check REDIS_URL)
  const { app, env, only } = JSON.parse(input);
  const [file, exportName] = SCHEMAS[app];
  const full = require(join(root, 'dist', 'apps', app, 'src', file))[exportName];
  const schema = only ? Object.fromEntries(Object.entries(full).filter(([name]) => only.includes(name))) : full;
  const { loadConfig } = require(join(root, 'dist', 'libs', 'platform', 'config', 'src', 'index.js'));
  const known = new Set(Object.keys(full));
  const secret = new Set(Object.entries(full).filter(([, spec]) => spec.secret).map(([name]) => name));
  const unknown = Object.keys(env).filter((name) => !(known.has(name) || (name.endsWith('_FILE') && secret.has(name.slice(0, -5)))));
  const fileForNonSecret = Object.keys(env).filter((name) => name.endsWith('_FILE') && known.has(name.slice(0, -5)) && !secret.has(name.slice(0, -5)));
  let problems = [];
  try {
    loadConfig(schema, { ...env, REPOVAULT_ENV: 'production' });
  } catch (error) {
    problems = error.problems ?? [error.message];
  }
  process.stdout.write(JSON.stringify({ unknown, fileForNonSecret, problems }));
});
