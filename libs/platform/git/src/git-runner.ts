import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { classifyGitFailure, GitAbortedError, GitCommandError, GitTimeoutError } from './git-errors';
import { scrubText, type TextScrubber } from './redaction';

export interface GitRunnerOptions {
  /** An empty directory git uses as HOME (created when missing); nothing is ever read from it. */
  homeDir: string;
  /** Default: the first git found in /usr/bin, /usr/local/bin, /bin. */
  gitBinary?: string;
  /** PATH of the child (git needs it only for its own helpers). */
  path?: string;
  /** `http.lowSpeedLimit`: bytes per second below which a transfer counts as stalled (default 1000). */
  lowSpeedLimitBytes?: number;
  /** `http.lowSpeedTime`: seconds a transfer may stay below the limit before git aborts it (default 60). */
  lowSpeedTimeSeconds?: number;
  /** Timeout of a command that names none (default 1 hour). */
  defaultTimeoutMs?: number;
  /** How much of stderr is kept for errors (default 8 KiB, the tail). */
  stderrTailBytes?: number;
  /** Default: the logging lib's process-wide scrubber. */
  scrubber?: TextScrubber;
  /** Called with every spawn exactly as the child gets it (tests use it to prove no secret is passed). */
  onSpawn?: (spawned: GitSpawnRecord) => void;
}

export interface GitSpawnRecord {
  binary: string;
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
}

export interface GitRunOptions {
  /** Runs against this repository (`--git-dir`). */
  gitDir?: string;
  /** Default: the runner's HOME (an empty directory), so no repository is discovered by accident. */
  cwd?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  input?: string | Buffer;
  /** Stdout beyond this fails the command (default 256 MiB). */
  maxStdoutBytes?: number;
}

export interface GitResult {
  stdout: Buffer;
  /** Scrubbed stderr tail (warnings of a successful command). */
  stderr: string;
}

/** A running command with its pipes, for streaming use (`cat-file --batch`, pipelines). */
export interface GitProcess {
  stdin: Writable;
  stdout: Readable;
  /** Settles when the process exited: resolves with the stderr tail on exit 0, rejects with a GitCommandError otherwise. */
  done: Promise<string>;
  kill(): void;
}

const KILL_GRACE_MS = 2_000;
const DEFAULT_TIMEOUT_MS = 60 * 60 * 1000;
const CANDIDATE_DIRS = ['/usr/bin', '/usr/local/bin', '/bin'];

/** The git binary in a fixed place, never looked up through the caller's environment. */
export function locateGit(): string {
  for (const dir of CANDIDATE_DIRS) if (existsSync(`${dir}/git`)) return `${dir}/git`;
  return '/usr/bin/git';
}

/**
 * Runs git with an environment of its own so nothing from the host (credential helpers, system or
 * global config, askpass programs, proxies, tokens in variables) reaches it, and git can never
 * prompt. Remotes are loopback URLs of the egress proxy, which adds credentials per request: git
 * itself never holds a secret.
 */
export class GitRunner {
  readonly binary: string;
  private readonly env: Readonly<Record<string, string>>;
  private readonly fixedArgs: readonly string[];
  private readonly scrubber: TextScrubber | undefined;
  private readonly tailBytes: number;
  private readonly defaultTimeoutMs: number;
  private homeReady?: Promise<unknown>;

  constructor(private readonly options: GitRunnerOptions) {
    this.binary = options.gitBinary ?? locateGit();
    this.scrubber = options.scrubber;
    this.tailBytes = options.stderrTailBytes ?? 8 * 1024;
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = Object.freeze({
      PATH: options.path ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: options.homeDir,
      GIT_TERMINAL_PROMPT: '0',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      // commands without --git-dir run in HOME; never discover a repository (and its config) above it
      GIT_CEILING_DIRECTORIES: dirname(options.homeDir),
      // stable English messages: errors are classified from them
      LANG: 'C',
      LC_ALL: 'C',
    });
    this.fixedArgs = Object.freeze([
      '-c', 'protocol.version=2',
      // only the transports we use: no ext::, ssh or git:// (file is needed to clone a seed bundle)
      '-c', 'protocol.allow=never',
      '-c', 'protocol.http.allow=always',
      '-c', 'protocol.https.allow=always',
      '-c', 'protocol.file.allow=always',
      // an empty value resets the list: no credential helper may run
      '-c', 'credential.helper=',
      '-c', 'core.askPass=',
      '-c', `http.lowSpeedLimit=${options.lowSpeedLimitBytes ?? 1000}`,
      '-c', `http.lowSpeedTime=${options.lowSpeedTimeSeconds ?? 60}`,
      // every request goes through the egress proxy; a redirect elsewhere would bypass it
      '-c', 'http.followRedirects=false',
      // maintenance after a fetch runs inside the caller's lock, never detached
      '-c', 'gc.autoDetach=false',
      '-c', 'maintenance.autoDetach=false',
      '-c', 'init.templateDir=',
    ]);
  }

  /** Runs a command to completion, buffering stdout. */
  async run(args: readonly string[], options: GitRunOptions = {}): Promise<GitResult> {
    const child = await this.start(args, options);
    const chunks: Buffer[] = [];
    let size = 0;
    const max = options.maxStdoutBytes ?? 256 * 1024 * 1024;
    let overflow = false;
    child.stdout.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        overflow = true;
        child.kill();
        return;
      }
      chunks.push(chunk);
    });
    child.stdin.end(options.input);
    const outcome = await child.done.then(
      (stderr) => ({ stderr, error: undefined }),
      (error: unknown) => ({ stderr: error instanceof GitCommandError ? error.stderrTail : '', error }),
    );
    if (overflow) {
      const command = args.find((a) => !a.startsWith('-')) ?? 'git';
      throw new GitCommandError(command, args.map((a) => this.scrub(a)), null, null, outcome.stderr, `git ${command} wrote more than ${max} bytes to stdout`);
    }
    if (outcome.error !== undefined) throw outcome.error;
    return { stdout: Buffer.concat(chunks), stderr: outcome.stderr };
  }

  /** Runs a command and returns stdout as UTF-8 text. */
  async text(args: readonly string[], options: GitRunOptions = {}): Promise<string> {
    return (await this.run(args, options)).stdout.toString('utf8');
  }

  /** Starts a command whose pipes the caller drives; the caller must consume stdout and end stdin. */
  async start(args: readonly string[], options: GitRunOptions = {}): Promise<GitProcess> {
    this.homeReady ??= mkdir(this.options.homeDir, { recursive: true });
    await this.homeReady;
    const fullArgs = [...this.fixedArgs, ...(options.gitDir === undefined ? [] : ['--git-dir', options.gitDir]), ...args];
    const env = { ...this.env };
    const cwd = options.cwd ?? this.options.homeDir;
    this.options.onSpawn?.({ binary: this.binary, argv: [...fullArgs], env, cwd });
    const command = args.find((a) => !a.startsWith('-')) ?? 'git';
    const scrubbedArgs = args.map((a) => this.scrub(a));
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;

    // its own process group, so a timeout also ends git-remote-http, index-pack and friends
    const child = spawn(this.binary, fullArgs, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stderrTail = Buffer.alloc(0);
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = Buffer.concat([stderrTail, chunk]);
      if (stderrTail.length > this.tailBytes * 2) stderrTail = stderrTail.subarray(stderrTail.length - this.tailBytes);
    });
    child.stdin.on('error', () => undefined); // an early exit is reported through 'close'

    let ended: 'timeout' | 'aborted' | undefined;
    const stop = (reason: 'timeout' | 'aborted'): void => {
      ended ??= reason;
      killGroup(child);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = (): void => stop('aborted');
    if (options.signal?.aborted) stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const done = new Promise<string>((resolve, reject) => {
      child.once('error', (error) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        reject(new GitCommandError(command, scrubbedArgs, null, null, '', `git ${command} could not start: ${this.scrub(error.message)}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        const tailText = stderrTail.subarray(Math.max(0, stderrTail.length - this.tailBytes)).toString('utf8');
        const stderr = this.scrub(tailText);
        if (ended === 'timeout') reject(new GitTimeoutError(command, scrubbedArgs, signal, stderr, timeoutMs));
        else if (ended === 'aborted') reject(new GitAbortedError(command, scrubbedArgs, signal, stderr));
        else if (code === 0) resolve(stderr);
        else reject(classifyGitFailure(new GitCommandError(command, scrubbedArgs, code, signal, stderr)));
      });
    });
    // callers that only use the pipes still learn of failures through `done`; never unhandled
    done.catch(() => undefined);
    return { stdin: child.stdin, stdout: child.stdout, done, kill: () => killGroup(child) };
  }

  private scrub(text: string): string {
    return scrubText(text, this.scrubber);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      child.kill(signal);
    }
  };
  signalGroup('SIGTERM');
  const force = setTimeout(() => {
    if (child.exitCode === null && child.signalCode === null) signalGroup('SIGKILL');
  }, KILL_GRACE_MS);
  force.unref();
  child.once('close', () => clearTimeout(force));
}
