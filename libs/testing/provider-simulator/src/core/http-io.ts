import type { IncomingMessage, ServerResponse } from 'node:http';

export type HeaderMap = Record<string, string | number | string[]>;

export class RequestBodyTooLargeError extends Error {}

/** Reads a whole (small) request body; the simulator's JSON endpoints never take large ones. */
export async function readBody(req: IncomingMessage, limitBytes = 10 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > limitBytes) throw new RequestBodyTooLargeError(`request body over ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  return JSON.parse(body.toString('utf8')) as unknown;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: HeaderMap = {}, contentType = 'application/json; charset=utf-8'): void {
  send(res, status, Buffer.from(JSON.stringify(body)), { 'content-type': contentType, ...headers });
}

export function sendText(res: ServerResponse, status: number, text: string, headers: HeaderMap = {}): void {
  send(res, status, Buffer.from(text), { 'content-type': 'text/plain; charset=utf-8', ...headers });
}

export function send(res: ServerResponse, status: number, body: Buffer | undefined, headers: HeaderMap = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const all: HeaderMap = { ...headers };
  if (body) all['content-length'] = body.length;
  res.writeHead(status, all);
  res.end(body);
}

/** The client address as the simulator attributes unauthenticated traffic. */
export function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
