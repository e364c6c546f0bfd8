import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { repoRoot } from './test-support/repo-root';
import { smallSeed } from './test-support/small-seed';

const root = repoRoot();
const CLI = 'libs/testing/provider-simulator/src/cli.ts';

/** Starts the CLI as `npm run simulator` does and waits until it says it is ready. */
async function startCli(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; output: string }> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', CLI, ...args], { cwd: root, env: { ...process.env } });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI not ready:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}:\n${output}`));
    });
  });
  return { child, output };
}

function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('npm run simulator', () => {
  it('is the root package script (run from source or from the swc build)', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.simulator).toMatch(/libs\/testing\/provider-simulator\/src\/cli\.(ts|js)\b/);
  });

  it('prints the base URLs and the seeded demo tokens, serves, and stops on SIGTERM', async () => {
    const { child, output } = await startCli(['--port', '0', '--time-scale', '360']);
    try {
      const base = /GitHub API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(base).toBeDefined();
      expect(output).toContain(`${base}/api/v3`);
      expect(output).toContain('a rate-limit hour lasts 10.0 s');
      for (const name of ['alice', 'alice-2', 'bob', 'carol', 'dave', 'erin-fine-grained', 'mallory']) expect(output).toMatch(new RegExp(`\\n  ${name}\\s+github:user:\\d+\\s+\\S+`));
      const alice = /\n {2}alice\s+github:user:1001\s+(ghp_\w+)/.exec(output)?.[1] ?? '';
      const res = await fetch(`${base}/user`, { headers: { authorization: `token ${alice}` } });
      expect(((await res.json()) as { login: string }).login).toBe('alice');
    } finally {
      expect(await stop(child)).toBe(0);
    }
  });

  it('seeds from a YAML config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
    try {
      const file = join(dir, 'sim.yaml');
      await writeFile(file, stringify({ seed: smallSeed(1), github: { coreLimit: 7 } }));
      const { child, output } = await startCli(['--config', file]);
      try {
        expect(output).toContain('nora-no-repo-scope');
        const base = /GitHub API\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
        const token = /\n {2}bob\s+\S+\s+(ghp_\w+)/.exec(output)?.[1] ?? '';
        const res = await fetch(`${base}/user`, { headers: { authorization: `token ${token}` } });
        expect(res.headers.get('x-ratelimit-limit')).toBe('7');
      } finally {
        expect(await stop(child)).toBe(0);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
