import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type K8sObject, render, valuesFile } from './support/helm';
import { workspaceRoot } from './support/helm-binary';
import { environmentOf, workloads } from './support/workloads';

/** What an operator's Secrets hold, in the form each app expects. */
const SECRET_VALUES: Record<string, string> = {
  DATABASE_URL: 'postgres://repovault:pw@postgres.db.svc:5432/repovault',
  REDIS_URL: 'redis://:pw@redis.db.svc:6379',
  REPOVAULT_VAULT_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  REPOVAULT_ADMIN_TOKEN: randomBytes(24).toString('hex'),
  REPOVAULT_IDENTITY_HASH_KEY: randomBytes(24).toString('hex'),
  REPOVAULT_SERVICE_TOKEN: randomBytes(24).toString('hex'),
  REPOVAULT_PEER_TOKENS: 'api-gateway=a1,org-service=b2,credential-service=c3,plan-service=d4,backup-worker:default=e5,backup-worker:eu-gitlab=f6',
};

interface Report { unknown: string[]; fileForNonSecret: string[]; problems: string[] }

function checkAgainstApp(app: string, env: Record<string, string>, only?: string[]): Report {
  const result = spawnSync(process.execPath, [join(__dirname, 'support', 'app-config-check.cjs')], { input: JSON.stringify({ app, env, only }), encoding: 'utf8', cwd: workspaceRoot() });
  if (result.status !== 0) throw new Error(`config check of ${app} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Report;
}

/**
 * The chart against the apps' own config schemas (built dist/): every variable the chart sets is
 * one the app reads, secrets come as <NAME>_FILE only for fields marked secret, and with the
 * operator's Secrets in place each container's environment loads in production mode.
 */
describe('the environment the chart gives each container is one its app accepts in production', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rv-chart-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The container's environment with the secret files written where this machine can read them. */
  function withSecretFiles(env: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) {
      const secret = name.endsWith('_FILE') ? SECRET_VALUES[name.slice(0, -5)] : undefined;
      if (secret === undefined) {
        out[name] = value;
        continue;
      }
      const file = join(dir, name);
      writeFileSync(file, `${secret}\n`);
      out[name] = file;
    }
    return out;
  }

  const variants: [string, () => K8sObject[]][] = [
    ['default values', () => render()],
    ['production-like with KEDA', () => render([valuesFile('production-keda-values.yaml')])],
    ['production-like with HPAs', () => render([valuesFile('production-hpa-values.yaml')])],
  ];

  it.each(variants)('holds for every Deployment and migration step with %s', (_label, renderIt) => {
    const objects = renderIt();
    const checked: string[] = [];
    for (const workload of workloads(objects)) {
      for (const container of workload.containers) {
        const app = /\/([a-z-]+):[^/]+$/.exec(container.image ?? '')?.[1] ?? '';
        const env = environmentOf(objects, container);
        const only = workload.kind === 'Job' ? Object.keys(env).filter((n) => n !== 'REPOVAULT_ENV').map((n) => n.replace(/_FILE$/, '')) : undefined;
        const report = checkAgainstApp(app, withSecretFiles(env), only);
        expect({ container: `${workload.name}/${container.name}`, ...report }).toEqual({ container: `${workload.name}/${container.name}`, unknown: [], fileForNonSecret: [], problems: [] });
        checked.push(app);
      }
    }
    expect(new Set(checked)).toEqual(new Set(['api-gateway', 'org-service', 'credential-service', 'plan-service', 'backup-worker']));
  });

  it('would catch a variable the app does not know, a missing secret and a secret given as a file for a plain field', () => {
    const report = checkAgainstApp('backup-worker', withSecretFiles({ REPOVAULT_WORKER_CONCURENCY: '4', STORAGE_DIR_FILE: '/x', REPOVAULT_SERVICE_TOKEN_FILE: 'token' }));
    expect(report.unknown).toEqual(['REPOVAULT_WORKER_CONCURENCY', 'STORAGE_DIR_FILE']);
    expect(report.fileForNonSecret).toEqual(['STORAGE_DIR_FILE']);
    expect(report.problems.join('\n')).toMatch(/REPOVAULT_PEER_TOKENS is required \(or REPOVAULT_PEER_TOKENS_FILE\) in production/);
  });
});
