import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { GitAbortedError, GitCommandError, GitTimeoutError, RemoteAccessDeniedError, RemoteNotFoundError } from '../src';
import { recordingRunner, spawnStrings, tempDir } from './support/fixtures';

/** A loopback HTTP server whose every request gets `respond`; it remembers open sockets. */
async function httpServer(respond: (url: string, res: import('node:http').ServerResponse) => void): Promise<{ url: string; sockets: Set<Socket>; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => respond(req.url ?? '/', res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets, server };
}
const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
const waitFor = async (check: () => boolean, ms = 5_000): Promise<boolean> => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return check();
};

describe('GitRunner', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir('runner');
  });
  afterAll(async () => {
    await dir?.dispose();
  });

  it('runs git with a fixed environment: nothing of the host process, no config files, no credential helper', async () => {
    process.env.GITHUB_TOKEN = 'ghp_fromthehostenvironment0123456789abcd';
    process.env.GIT_ASKPASS = '/usr/bin/false';
    try {
      const { git, spawns } = recordingRunner(join(dir.path, 'home'));
      // a shell alias prints the environment git hands to its children
      const env = await git.text(['-c', 'alias.printenv=!env', 'printenv']);
      expect(env).not.toContain('GITHUB_TOKEN');
      expect(env).not.toContain('GIT_ASKPASS');
      expect(env).toContain('GIT_TERMINAL_PROMPT=0');
      expect(env).toContain(`HOME=${join(dir.path, 'home')}`);
      // the test process runs inside a repository (this one): git must not discover it
      expect(await git.text(['rev-parse', '--show-toplevel']).catch((e: unknown) => String(e))).toMatch(/not a git repository/);
      const origins = await git.text(['config', '--list', '--show-origin']);
      expect(origins.split('\n').filter(Boolean).every((line) => line.startsWith('command line:'))).toBe(true);
      expect(origins).toContain('credential.helper=\n');
      expect(origins).toContain('protocol.version=2');
      expect(origins).toContain('http.lowspeedlimit=1000');
      expect(origins).toContain('http.lowspeedtime=60');
      expect(spawns[0].env).toEqual({
        PATH: '/usr/local/bin:/usr/bin:/bin',
        HOME: join(dir.path, 'home'),
        GIT_TERMINAL_PROMPT: '0',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CEILING_DIRECTORIES: dir.path,
        LANG: 'C',
        LC_ALL: 'C',
      });
      expect(spawnStrings(spawns).join(' ')).not.toContain('ghp_fromthehost');
    } finally {
      delete process.env.GITHUB_TOKEN;
      delete process.env.GIT_ASKPASS;
    }
  });

  it('fails with a GitCommandError carrying the exit code and a scrubbed stderr tail', async () => {
    const { git } = recordingRunner(join(dir.path, 'home'));
    const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    const error: unknown = await git.run(['ls-remote', `http://x-access-token:${secret}@127.0.0.1:1/acme/web.git`]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitCommandError);
    const failure = error as GitCommandError;
    expect(failure.exitCode).toBe(128);
    expect(failure.command).toBe('ls-remote');
    expect(failure.stderrTail).toMatch(/unable to access|Failed to connect|Couldn't connect/);
    for (const text of [failure.message, failure.stderrTail, failure.args.join(' '), failure.stack ?? '']) expect(text).not.toContain(secret);
    expect(failure.args.join(' ')).toContain('[redacted]@127.0.0.1:1');
  });

  it('classifies 404 as RemoteNotFoundError and 401/403 as RemoteAccessDeniedError', async () => {
    const server = await httpServer((url, res) => {
      if (url.startsWith('/missing/')) res.writeHead(404, { 'content-type': 'text/plain' }).end('Repository not found.\n');
      else if (url.startsWith('/forbidden/')) res.writeHead(403, { 'content-type': 'text/plain' }).end('denied\n');
      else res.writeHead(401, { 'www-authenticate': 'Basic realm="x"' }).end('auth\n');
    });
    try {
      const { git } = recordingRunner(join(dir.path, 'home'));
      await expect(git.run(['ls-remote', `${server.url}/missing/web.wiki.git`])).rejects.toBeInstanceOf(RemoteNotFoundError);
      await expect(git.run(['ls-remote', `${server.url}/forbidden/web.git`])).rejects.toBeInstanceOf(RemoteAccessDeniedError);
      // 401: git would prompt, but it may not (no terminal, no askpass, no helper): it fails at once
      await expect(git.run(['ls-remote', `${server.url}/challenge/web.git`], { timeoutMs: 10_000 })).rejects.toBeInstanceOf(RemoteAccessDeniedError);
    } finally {
      await closeServer(server.server);
    }
  });

  it('kills a command that outlives its timeout, helpers included', async () => {
    const server = await httpServer(() => undefined); // accepts and never answers
    try {
      const { git } = recordingRunner(join(dir.path, 'home'));
      const started = Date.now();
      const error: unknown = await git.run(['ls-remote', `${server.url}/slow/web.git`], { timeoutMs: 700 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitTimeoutError);
      expect(Date.now() - started).toBeLessThan(5_000);
      // git-remote-http held the connection: it is gone with the process group
      expect(await waitFor(() => server.sockets.size === 0)).toBe(true);
    } finally {
      await closeServer(server.server);
    }
  });

  it('kills a command when its abort signal fires', async () => {
    const server = await httpServer(() => undefined);
    try {
      const { git } = recordingRunner(join(dir.path, 'home'));
      const controller = new AbortController();
      const running = git.run(['ls-remote', `${server.url}/slow/web.git`], { signal: controller.signal });
      await waitFor(() => server.sockets.size > 0);
      controller.abort();
      await expect(running).rejects.toBeInstanceOf(GitAbortedError);
      expect(await waitFor(() => server.sockets.size === 0)).toBe(true);
      const already = AbortSignal.abort();
      await expect(git.run(['version'], { signal: already })).rejects.toBeInstanceOf(GitAbortedError);
    } finally {
      await closeServer(server.server);
    }
  });

  it('fails a command whose output exceeds maxStdoutBytes', async () => {
    const { git } = recordingRunner(join(dir.path, 'home'));
    await expect(git.run(['help', '-a'], { maxStdoutBytes: 64 })).rejects.toThrow(/more than 64 bytes/);
  });
});
