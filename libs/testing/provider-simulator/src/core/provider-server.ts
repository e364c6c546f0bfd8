import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from './http-io';
import type { ProviderPlugin } from './provider-plugin';
import type { SimHooks } from './sim-hooks';

/** One loopback listener: `/__sim/*` goes to the hooks, everything else to the provider. */
export class ProviderServer {
  private readonly server: Server;

  constructor(
    private readonly plugin: ProviderPlugin,
    private readonly hooks: SimHooks,
  ) {
    this.server = createServer((req, res) => {
      this.dispatch(req, res).catch((error: unknown) => this.fail(res, error));
    });
    // Clients in tests open many keep-alive connections; no need to hold them after close().
    this.server.keepAliveTimeout = 5_000;
  }

  async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/__sim' || path.startsWith('/__sim/')) {
      await this.hooks.handle(req, res);
      return;
    }
    await this.plugin.handle(req, res);
  }

  private fail(res: ServerResponse, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (!res.headersSent) sendJson(res, 500, { message: `simulator error: ${message}` });
    else res.destroy();
  }
}
