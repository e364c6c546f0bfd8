import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { demoSeed } from './demo-seed';
import type { SeedConfig } from './core/seeding/seed-config';
import { validateSeedConfig } from './core/seeding/seed-config-validation';
import type { GithubSimulatorOptions } from './providers/github/github-options';
import type { GitlabSimulatorOptions } from './providers/gitlab/gitlab-options';
import type { BitbucketCloudSimulatorOptions } from './providers/bitbucket-cloud/bitbucket-cloud-options';
import type { BitbucketDcSimulatorOptions } from './providers/bitbucket-dc/bitbucket-dc-options';
import { startSimulator, type SimulatorOptions } from './simulator';

const USAGE = `usage: npm run simulator -- [--config file.yaml] [--port N] [--time-scale N] [--latency-ms N] [--data-dir DIR]

The config file holds either a seed config (seed, users, organizations) or
{ seed: <seed config>, timeScale, latencyMs, github: { coreLimit, concurrencyLimit, ... } }.
Without --config the demo world is seeded (organization acme, 50 repositories).`;

interface CliFlags {
  config?: string;
  port?: number;
  timeScale?: number;
  latencyMs?: number;
  dataDir?: string;
}

function parseFlags(argv: string[]): CliFlags {
  const flags: CliFlags = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    const number = (): number => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a number >= 0`);
      return n;
    };
    if (flag === '--config') flags.config = value();
    else if (flag === '--port') flags.port = number();
    else if (flag === '--time-scale') flags.timeScale = number();
    else if (flag === '--latency-ms') flags.latencyMs = number();
    else if (flag === '--data-dir') flags.dataDir = value();
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown flag ${flag}\n${USAGE}`);
  }
  return flags;
}

function optionsFromFile(path: string): Omit<SimulatorOptions, 'port' | 'dataDir'> {
  const doc = parse(readFileSync(path, 'utf8')) as unknown;
  if (typeof doc !== 'object' || doc === null) throw new Error(`${path}: expected a YAML mapping`);
  const file = doc as Record<string, unknown>;
  if (typeof file.seed === 'string') return { seed: validateSeedConfig(file) };
  return {
    seed: validateSeedConfig(file.seed),
    timeScale: typeof file.timeScale === 'number' ? file.timeScale : undefined,
    latencyMs: typeof file.latencyMs === 'number' ? file.latencyMs : undefined,
    github: typeof file.github === 'object' && file.github !== null ? (file.github as GithubSimulatorOptions) : undefined,
    gitlab: typeof file.gitlab === 'object' && file.gitlab !== null ? (file.gitlab as GitlabSimulatorOptions) : undefined,
    bitbucketCloud: typeof file.bitbucketCloud === 'object' && file.bitbucketCloud !== null ? (file.bitbucketCloud as BitbucketCloudSimulatorOptions) : undefined,
    bitbucketDc: typeof file.bitbucketDc === 'object' && file.bitbucketDc !== null ? (file.bitbucketDc as BitbucketDcSimulatorOptions) : undefined,
  };
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const fromFile = flags.config ? optionsFromFile(flags.config) : { seed: demoSeed() as SeedConfig };
  const started = Date.now();
  const sim = await startSimulator({
    ...fromFile,
    port: flags.port ?? 0,
    dataDir: flags.dataDir,
    timeScale: flags.timeScale ?? fromFile.timeScale,
    latencyMs: flags.latencyMs ?? fromFile.latencyMs,
  });
  const info = (await (await fetch(`${sim.github.baseUrl}/__sim/info`)).json()) as { timeScale: number; identities: Record<string, string> };
  const lines = [
    `RepoVault provider simulator ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  GitHub API            ${sim.github.baseUrl}`,
    `  GitHub Enterprise API ${sim.github.enterpriseApiUrl}`,
    `  Git (smart HTTP)      ${sim.github.baseUrl}/{owner}/{repo}.git`,
    `  Test hooks            ${sim.github.baseUrl}/__sim/stats`,
    `  GitLab API            ${sim.gitlab.apiUrl} (git at ${sim.gitlab.baseUrl}/{group}/{project}.git)`,
    `  Bitbucket Cloud API   ${sim.bitbucketCloud.apiUrl} (git at ${sim.bitbucketCloud.gitUrl}/{workspace}/{slug}.git)`,
    `  Bitbucket DC REST     ${sim.bitbucketDc.baseUrl}/rest/api/latest (git at ${sim.bitbucketDc.baseUrl}/scm/{key}/{slug}.git)`,
    `  Time scale            ${info.timeScale} (a rate-limit hour lasts ${(3600 / info.timeScale).toFixed(1)} s)`,
    `  Data                  ${sim.dataDir}`,
    '',
    'Seeded tokens (name, identity, token):',
    ...Object.entries(sim.tokens).map(([name, token]) => `  ${name.padEnd(20)} ${(info.identities[name] ?? '').padEnd(20)} ${token}`),
    '',
    'Press Ctrl+C to stop.',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
