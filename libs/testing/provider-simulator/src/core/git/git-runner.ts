import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${exitCode}): ${stderr.trim()}`);
  }
}

const CANDIDATE_DIRS = ['/usr/bin', '/usr/local/bin', '/bin', '/opt/homebrew/bin', '/opt/local/bin'];

/** Finds git without reading the environment (only the CLI may); callers can always pass a path. */
export function locateGit(): string {
  for (const dir of CANDIDATE_DIRS) {
    if (existsSync(`${dir}/git`)) return `${dir}/git`;
  }
  return 'git';
}

/**
 * Runs git with an environment of its own: no system or user config (HOME points into the data
 * directory), no prompts, so seeding and serving behave the same on every machine.
 */
export class GitRunner {
  constructor(
    readonly gitBinary: string,
    readonly homeDir: string,
  ) {}

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: this.homeDir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      LANG: 'C',
      LC_ALL: 'C',
      ...extra,
    };
  }

  run(args: string[], options: { input?: Buffer; env?: Record<string, string> } = {}): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.gitBinary, args, {
        env: this.env(options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
      child.on('error', reject);
      child.stdin.on('error', () => undefined); // an early exit is reported through 'close'
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out));
        else reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8')));
      });
      child.stdin.end(options.input);
    });
  }

  /** For synchronous accessors used by tests (`RunningSimulator.repository`). */
  runSync(args: string[]): Buffer {
    try {
      return execFileSync(this.gitBinary, args, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const stderr = error instanceof Error && 'stderr' in error ? String((error as { stderr: unknown }).stderr) : String(error);
      throw new GitCommandError(args, null, stderr);
    }
  }
}
