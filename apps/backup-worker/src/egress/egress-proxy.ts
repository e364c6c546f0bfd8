import { Logger } from '@nestjs/common';
import type { ProviderFetch } from '@repovault/providers/core';
import type { ClaimedTransport, TransportContext } from '@repovault/providers/transport';
import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

/** Who a job's requests are for, and where its git requests go. */
export interface EgressContext extends TransportContext {
  /** where git requests of this route go */
  gitOrigin: string;
  /** where the provider's REST API answers */
  apiBaseUrl: string;
}

/** A registered route: a git remote URL and a fetch, both through the proxy, without secrets. */
export interface EgressRoute {
  gitUrl(upstreamUrl: string): string;
  /** fetch for adapters and the LFS client: claims, adds auth, egress rules */
  fetch: ProviderFetch;
  /** true once a claim could not be made because credential-service was unreachable */
  claimsUnavailable(): boolean;
  /** why credential-service refused a claim of this route (e.g. a worker of another pool), if it did */
  claimRefused(): string | undefined;
  requests(): number;
  release(): void;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization', 'content-length']);

/**
 * The worker's egress proxy on loopback: git and the LFS client are pointed at
 * `http://127.0.0.1:<port>/g/<route>/owner/repo.git`; each request is forwarded through the claimed
 * transport (a rate-limit claim, the credential's authorization, SSRF rules at connect time), so
 * git never sees a secret and every request of a job is paid for.
 */
export class EgressProxy {
  private readonly logger = new Logger('EgressProxy');
  private readonly routes = new Map<string, EgressContext>();
  private server?: Server;
  private base = '';

  constructor(private readonly transport: ClaimedTransport) {}

  async listen(): Promise<void> {
    this.server = createServer((request, response) => void this.serveGit(request, response));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  register(context: EgressContext): EgressRoute {
    const token = randomBytes(18).toString('base64url');
    this.routes.set(token, context);
    const prefix = `${this.base}/g/${token}`;
    const api = this.transport.fetchFor(context, 'api');
    return {
      gitUrl: (upstreamUrl) => {
        const upstream = new URL(upstreamUrl);
        if (upstream.origin !== context.gitOrigin) throw new Error('git URL outside the route origin');
        return `${prefix}${upstream.pathname}`;
      },
      fetch: (url, init = {}) => (url.startsWith(`${prefix}/`) ? fetch(url, init) : api(url, init)),
      claimsUnavailable: () => context.claimsUnavailable === true,
      claimRefused: () => context.claimRefused,
      requests: () => context.requests ?? 0,
      release: () => this.routes.delete(token),
    };
  }

  /** Git smart HTTP (and the LFS batch API) arrive here from git and the LFS client. */
  private async serveGit(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/g\/([A-Za-z0-9_-]{20,})(\/.*)$/.exec(request.url ?? '');
    const context = match ? this.routes.get(match[1] ?? '') : undefined;
    if (!match || !context) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('unknown route\n');
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name)) continue;
      headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    try {
      const upstream = await this.transport.fetch(context, `${context.gitOrigin}${match[2]}`, {
        method: request.method,
        headers,
        body: hasBody ? (Readable.toWeb(request) as ReadableStream<Uint8Array>) : undefined,
        ...(hasBody ? { duplex: 'half' } : {}),
      } as RequestInit, 'git');
      const out: Record<string, string> = {};
      upstream.headers.forEach((value, name) => {
        if (!HOP_BY_HOP.has(name)) out[name] = value;
      });
      response.writeHead(upstream.status, out);
      if (upstream.body) Readable.fromWeb(upstream.body as never).on('error', () => response.destroy()).pipe(response);
      else response.end();
    } catch (error) {
      this.logger.warn({ err: error }, 'git request failed at the proxy');
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`proxy error: ${(error as Error).name}\n`);
    }
  }
}
