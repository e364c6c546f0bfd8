/** A git command that exited non-zero, was killed, timed out or was aborted. Everything in it is scrubbed. */
export class GitCommandError extends Error {
  override readonly name: string = 'GitCommandError';

  constructor(
    /** The git subcommand, e.g. `fetch`. */
    readonly command: string,
    /** Arguments after the fixed `-c` options, scrubbed. */
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
    /** The last lines of stderr, scrubbed. */
    readonly stderrTail: string,
    message?: string,
  ) {
    super(message ?? `git ${command} failed (${exitCode === null ? `signal ${signal ?? 'unknown'}` : `exit ${exitCode}`})${lastLine(stderrTail)}`);
  }
}

/** The command ran longer than its timeout and was killed. */
export class GitTimeoutError extends GitCommandError {
  override readonly name = 'GitTimeoutError';

  constructor(command: string, args: readonly string[], signal: NodeJS.Signals | null, stderrTail: string, readonly timeoutMs: number) {
    super(command, args, null, signal, stderrTail, `git ${command} timed out after ${timeoutMs} ms${lastLine(stderrTail)}`);
  }
}

/** The caller's abort signal fired; the command was killed. */
export class GitAbortedError extends GitCommandError {
  override readonly name = 'GitAbortedError';

  constructor(command: string, args: readonly string[], signal: NodeJS.Signals | null, stderrTail: string) {
    super(command, args, null, signal, stderrTail, `git ${command} was aborted${lastLine(stderrTail)}`);
  }
}

/**
 * The remote repository does not exist or cannot be seen (HTTP 404, "Repository not found"). For a
 * `*.wiki.git` remote this means "no wiki".
 */
export class RemoteNotFoundError extends GitCommandError {
  override readonly name = 'RemoteNotFoundError';
}

/** The remote refused the request (401/403): the egress proxy sent no or a rejected credential. */
export class RemoteAccessDeniedError extends GitCommandError {
  override readonly name = 'RemoteAccessDeniedError';
}

/** A remote URL or path that this library refuses to hand to git (credentials, query, odd scheme). */
export class UnsafeRemoteError extends Error {
  override readonly name = 'UnsafeRemoteError';
}

const NOT_FOUND = [/repository '[^']*' not found/i, /\bRepository not found\b/i, /requested URL returned error: 404\b/i, /\bHTTP 404\b/];
const DENIED = [/Authentication failed/i, /could not read (Username|Password)/i, /requested URL returned error: 40[13]\b/i, /\bHTTP 40[13]\b/];

/** Turns a failed command into the most specific error its stderr allows. */
export function classifyGitFailure(error: GitCommandError): GitCommandError {
  if (error instanceof GitTimeoutError || error instanceof GitAbortedError || error.exitCode === null) return error;
  const { command, args, exitCode, signal, stderrTail } = error;
  if (NOT_FOUND.some((p) => p.test(stderrTail))) return new RemoteNotFoundError(command, args, exitCode, signal, stderrTail);
  if (DENIED.some((p) => p.test(stderrTail))) return new RemoteAccessDeniedError(command, args, exitCode, signal, stderrTail);
  return error;
}

function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.length === 0 ? '' : `: ${lines[lines.length - 1]}`;
}
