import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface GitCredentials {
  /** Sent by git only after a 401 challenge, through a GIT_ASKPASS script (never in the URL or argv). */
  askpass?: { username: string; token: string };
  /** Sent on every request via `http.extraHeader` (Basic, username `x-access-token`). */
  basicHeaderToken?: string;
}

/**
 * A git client for tests: no user or system config, never prompts (GIT_TERMINAL_PROMPT=0), and
 * credentials passed the way the product will pass them, never in a URL.
 */
export class TestGitClient {
  private constructor(readonly dir: string) {}

  static async create(): Promise<TestGitClient> {
    return new TestGitClient(await mkdtemp(join(tmpdir(), 'sim-git-client-')));
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  async run(args: string[], credentials: GitCredentials = {}, extraEnv: Record<string, string> = {}): Promise<GitResult> {
    const env: Record<string, string> = {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: this.dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      LANG: 'C',
      ...extraEnv,
    };
    const prefix: string[] = [];
    if (credentials.basicHeaderToken !== undefined) {
      const basic = Buffer.from(`x-access-token:${credentials.basicHeaderToken}`).toString('base64');
      prefix.push('-c', `http.extraHeader=Authorization: Basic ${basic}`);
    }
    if (credentials.askpass) {
      const script = join(this.dir, 'askpass.sh');
      await writeFile(script, '#!/bin/sh\ncase "$1" in\n  Username*) printf "%s\\n" "$SIM_GIT_USERNAME" ;;\n  *) printf "%s\\n" "$SIM_GIT_TOKEN" ;;\nesac\n');
      await chmod(script, 0o700);
      env.GIT_ASKPASS = script;
      env.SIM_GIT_USERNAME = credentials.askpass.username;
      env.SIM_GIT_TOKEN = credentials.askpass.token;
    }
    return new Promise((resolve, reject) => {
      const child = spawn('git', [...prefix, ...args], { cwd: this.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Refs of a local bare repository as `name -> sha`. */
  async refs(gitDir: string): Promise<Record<string, string>> {
    const result = await this.run(['--git-dir', gitDir, 'for-each-ref', '--format=%(refname) %(objectname)']);
    if (result.code !== 0) throw new Error(result.stderr);
    return Object.fromEntries(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name, sha] = line.split(' ');
          return [name, sha];
        }),
    );
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
