import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyExchange {
  method: string;
  /** Upstream path (route removed), without the query. */
  path: string;
  query: string;
  status: number;
  responseBytes: number;
  /** The client sent an Authorization header of its own (git never may). */
  clientAuthorization: boolean;
}

export type Tamper = (body: Buffer) => Buffer;

/**
 * What the worker's egress proxy does, reduced to a test helper: git and the LFS client talk to
 * `http://127.0.0.1:<port>/<route>/…`; the proxy forwards to the upstream and adds
 * `Authorization: Basic base64("x-access-token:<token>")` to each request that carries none.
 * It records every exchange and can replace response bodies (to serve wrong LFS bytes).
 */
export class TestEgressProxy {
  readonly exchanges: ProxyExchange[] = [];
  /** Return a function to rewrite the response body of a path (the body is buffered then). */
  tamper: (path: string) => Tamper | undefined = () => undefined;
  private readonly server: Server;
  private readonly upstream: URL;
  private readonly basic: string;
  private origin = '';

  private constructor(
    upstream: string,
    token: string,
    readonly route: string,
  ) {
    this.upstream = new URL(upstream);
    this.basic = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    this.server = createServer((req, res) => this.forward(req, res));
    this.server.keepAliveTimeout = 1_000;
  }

  static async start(options: { upstream: string; token: string; route?: string }): Promise<TestEgressProxy> {
    const proxy = new TestEgressProxy(options.upstream, options.token, options.route ?? 'github');
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.origin = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** `http://127.0.0.1:<port>/<route>` */
  get baseUrl(): string {
    return `${this.origin}/${this.route}`;
  }

  /** A credential-free git remote through the proxy. */
  remote(owner: string, repo: string): string {
    return `${this.baseUrl}/${owner}/${repo}.git`;
  }

  /** Maps an upstream URL (e.g. an LFS action href) onto the proxy, as the worker's fetch does. */
  rewrite(url: string): string {
    const target = new URL(url);
    if (target.origin !== this.upstream.origin) return url;
    return `${this.baseUrl}${target.pathname}${target.search}`;
  }

  /** A fetch that sends everything for the upstream through this proxy. */
  readonly fetch = (url: string, init: RequestInit): Promise<Response> => fetch(this.rewrite(url), init);

  reset(): void {
    this.exchanges.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const [rawPath, query = ''] = (req.url ?? '/').split('?');
    const prefix = `/${this.route}/`;
    if (!rawPath.startsWith(prefix)) {
      res.writeHead(404).end('unknown route\n');
      return;
    }
    const path = `/${rawPath.slice(prefix.length)}`;
    const clientAuthorization = req.headers.authorization !== undefined;
    const headers: IncomingHttpHeaders = { ...req.headers, host: this.upstream.host };
    delete headers.connection;
    if (!clientAuthorization) headers.authorization = this.basic;
    const exchange: ProxyExchange = { method: req.method ?? 'GET', path, query, status: 0, responseBytes: 0, clientAuthorization };
    const upstreamReq = httpRequest(
      { host: this.upstream.hostname, port: this.upstream.port, method: req.method, path: `${path}${query ? `?${query}` : ''}`, headers },
      (upstreamRes) => {
        exchange.status = upstreamRes.statusCode ?? 0;
        const responseHeaders = { ...upstreamRes.headers };
        delete responseHeaders.connection;
        const tamper = exchange.status === 200 ? this.tamper(path) : undefined;
        if (tamper) {
          const chunks: Buffer[] = [];
          upstreamRes.on('data', (c: Buffer) => chunks.push(c));
          upstreamRes.on('end', () => {
            const body = tamper(Buffer.concat(chunks));
            delete responseHeaders['transfer-encoding'];
            responseHeaders['content-length'] = String(body.length);
            res.writeHead(exchange.status, responseHeaders);
            exchange.responseBytes = body.length;
            res.end(body);
            this.exchanges.push(exchange);
          });
          return;
        }
        res.writeHead(exchange.status, responseHeaders);
        upstreamRes.on('data', (c: Buffer) => (exchange.responseBytes += c.length));
        upstreamRes.on('end', () => this.exchanges.push(exchange));
        upstreamRes.pipe(res);
      },
    );
    upstreamReq.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end('upstream failed\n');
      else res.destroy();
    });
    req.pipe(upstreamReq);
  }
}
