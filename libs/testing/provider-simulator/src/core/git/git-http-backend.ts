import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GitRunner } from './git-runner';

export interface GitHttpBackendRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Directory the repositories live under (GIT_PROJECT_ROOT). */
  projectRoot: string;
  /** Path below the root, e.g. `/acme/repo.git/info/refs`: built from the canonical names, never the raw URL. */
  pathInfo: string;
  query: string;
  /** Set for authenticated callers; git only logs it (who may push is decided before we get here). */
  remoteUser?: string;
  remoteAddr: string;
}

/** The smart-HTTP endpoints a client may call; git's dumb-HTTP file serving is not offered, as on GitHub. */
export type GitService = 'git-upload-pack' | 'git-receive-pack';

export function gitServiceOf(rest: string, method: string, query: URLSearchParams): GitService | undefined {
  if (rest === 'info/refs' && method === 'GET') {
    const service = query.get('service');
    return service === 'git-upload-pack' || service === 'git-receive-pack' ? service : undefined;
  }
  if ((rest === 'git-upload-pack' || rest === 'git-receive-pack') && method === 'POST') return rest;
  return undefined;
}

/**
 * Serves one request through `git http-backend` as a CGI program: request body streamed to its
 * stdin, CGI headers (including `Status:`) parsed from its stdout, the rest streamed to the client.
 */
export function serveGitHttpBackend(git: GitRunner, request: GitHttpBackendRequest): Promise<number> {
  const { req, res } = request;
  const header = (name: string): string | undefined => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const env: Record<string, string> = {
    GIT_PROJECT_ROOT: request.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: request.pathInfo,
    QUERY_STRING: request.query,
    REQUEST_METHOD: req.method ?? 'GET',
    CONTENT_TYPE: header('content-type') ?? '',
    REMOTE_ADDR: request.remoteAddr,
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
  };
  const contentLength = header('content-length');
  if (contentLength) env.CONTENT_LENGTH = contentLength;
  const encoding = header('content-encoding');
  if (encoding) env.HTTP_CONTENT_ENCODING = encoding;
  // Protocol v2 is negotiated through this header; git reads it from GIT_PROTOCOL.
  const protocol = header('git-protocol');
  if (protocol) {
    env.GIT_PROTOCOL = protocol;
    env.HTTP_GIT_PROTOCOL = protocol;
  }
  if (request.remoteUser) env.REMOTE_USER = request.remoteUser;

  return new Promise((resolve) => {
    const child = spawn(git.gitBinary, ['http-backend'], { env: git.env(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let status = 500;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      resolve(status);
    };
    const stderr: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // git may stop reading early; its exit tells what happened
    req.pipe(child.stdin);
    res.on('close', () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    });

    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        if (!res.write(chunk)) {
          child.stdout.pause();
          res.once('drain', () => child.stdout.resume());
        }
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = findHeaderEnd(head);
      if (!end) return;
      headersDone = true;
      const parsed = parseCgiHeaders(head.subarray(0, end.index).toString('latin1'));
      status = parsed.status;
      res.writeHead(parsed.status, parsed.headers);
      const rest = head.subarray(end.index + end.length);
      if (rest.length > 0) res.write(rest);
    });
    child.on('error', () => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('git http-backend could not start\n');
      finish();
    });
    child.on('close', (code) => {
      if (!headersDone && !res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`git http-backend failed (${code}): ${Buffer.concat(stderr).toString('utf8')}`);
      } else {
        res.end();
      }
      finish();
    });
  });
}

function findHeaderEnd(buffer: Buffer): { index: number; length: number } | undefined {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { index: crlf, length: 4 };
  if (lf >= 0) return { index: lf, length: 2 };
  return undefined;
}

export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string | string[]> } {
  let status = 200;
  const headers: Record<string, string | string[]> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') {
      status = Number.parseInt(value, 10) || 500;
      continue;
    }
    const key = name.toLowerCase();
    const existing = headers[key];
    headers[key] = existing === undefined ? value : ([] as string[]).concat(existing, value);
  }
  return { status, headers };
}
