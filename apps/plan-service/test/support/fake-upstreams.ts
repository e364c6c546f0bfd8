import type { CredentialRecord, CredentialUsage, OrganizationRecord, RepositoryRecord } from '@repovault/contracts/internal-api';
import { developmentServiceToken } from '@repovault/platform/config';
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * org-service and credential-service as plan-service sees them: two real loopback HTTP servers that
 * answer the internal routes plan-service calls, from data the test puts in. Each checks plan-service's
 * service token and scopes everything by the tenant header, like the real services.
 */
export class FakeUpstreams {
  readonly organizations = new Map<string, OrganizationRecord & { tenantId: string }>();
  readonly repositories = new Map<string, RepositoryRecord[]>();
  readonly credentials = new Map<string, CredentialRecord[]>();
  readonly usage = new Map<string, CredentialUsage>();
  /** paths the fakes were asked for, e.g. to see that repositories are read page by page */
  readonly requests: string[] = [];
  /** org-service pages repositories; a small page makes plan-service follow the cursor */
  repositoryPageSize = 2;
  orgUrl = '';
  credentialUrl = '';
  private readonly servers: Server[] = [];

  static async start(): Promise<FakeUpstreams> {
    const fakes = new FakeUpstreams();
    fakes.orgUrl = await fakes.listen((req, url, tenantId) => fakes.orgRoute(req, url, tenantId));
    fakes.credentialUrl = await fakes.listen((req, url, tenantId) => fakes.credentialRoute(req, url, tenantId));
    return fakes;
  }

  addOrganization(tenantId: string, overrides: Partial<OrganizationRecord> = {}): OrganizationRecord {
    const id = overrides.id ?? randomUUID();
    const mainCredentialId = randomUUID();
    const record: OrganizationRecord & { tenantId: string } = {
      id, tenantId, provider: 'github', baseUrl: null, apiBaseUrl: 'https://api.github.com', name: `org-${id.slice(0, 8)}`, status: 'active',
      auth: { method: 'token', username: 'backup-bot', email: null }, mainCredentialId, autoAddNewRepositories: true, includeGroups: false,
      sync: { intervalMinutes: 360 }, defaultWorkerPool: 'default', defaultPlanId: null, repositoryCount: 0, lastSyncedAt: null, syncError: null,
      createdAt: new Date().toISOString(), ...overrides,
    };
    this.organizations.set(id, record);
    this.repositories.set(id, []);
    this.credentials.set(id, [credential(id, mainCredentialId, 'main')]);
    return record;
  }

  addRepository(organizationId: string, fullName: string, status: 'active' | 'deleted' = 'active'): RepositoryRecord {
    const record: RepositoryRecord = {
      id: randomUUID(), organizationId, providerId: String(Math.floor(Math.random() * 1e9)), fullName, name: fullName.split('/').pop() ?? fullName,
      defaultBranch: 'main', private: true, archived: false, status, sizeKb: 10, lastPushedAt: null, discoveredAt: new Date().toISOString(),
      hasWiki: false, hasIssues: true, cloneUrl: `https://github.com/${fullName}.git`,
    };
    this.repositories.get(organizationId)?.push(record);
    return record;
  }

  addCredential(organizationId: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
    const record = { ...credential(organizationId, randomUUID(), 'additional'), ...overrides };
    this.credentials.get(organizationId)?.push(record);
    return record;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.map((s) => new Promise<void>((resolve) => { s.closeAllConnections(); s.close(() => resolve()); })));
  }

  private orgRoute(_req: IncomingMessage, url: URL, tenantId: string): [number, unknown] {
    const match = /^\/internal\/organizations\/([^/]+)(\/repositories)?$/.exec(url.pathname);
    const organization = match ? this.organizations.get(match[1] ?? '') : undefined;
    if (!match || !organization || organization.tenantId !== tenantId || organization.status !== 'active') return notFound('Organization');
    if (!match[2]) return [200, organization];
    const status = url.searchParams.get('status');
    const all = (this.repositories.get(organization.id) ?? []).filter((r) => !status || r.status === status).sort((a, b) => a.fullName.localeCompare(b.fullName));
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50), this.repositoryPageSize);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const items = all.slice(offset, offset + limit);
    return [200, { items, nextCursor: offset + limit < all.length ? String(offset + limit) : null }];
  }

  private credentialRoute(_req: IncomingMessage, url: URL, tenantId: string): [number, unknown] {
    const list = /^\/internal\/organizations\/([^/]+)\/credentials$/.exec(url.pathname);
    if (list) {
      const organization = this.organizations.get(list[1] ?? '');
      if (!organization || organization.tenantId !== tenantId) return [200, []];
      return [200, this.credentials.get(organization.id) ?? []];
    }
    const usage = /^\/internal\/runs\/([^/]+)\/usage$/.exec(url.pathname);
    if (usage && this.usage.has(usage[1] ?? '')) return [200, this.usage.get(usage[1] ?? '')];
    return notFound('Run usage');
  }

  private listen(route: (req: IncomingMessage, url: URL, tenantId: string) => [number, unknown]): Promise<string> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      this.requests.push(`${req.method} ${url.pathname}${url.search}`);
      const [status, body] = req.headers.authorization !== `Bearer ${developmentServiceToken('plan-service')}`
        ? [401, { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'unknown service token' }]
        : route(req, url, String(req.headers['x-repovault-tenant-id'] ?? ''));
      res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(JSON.stringify(body));
    });
    this.servers.push(server);
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  }
}

function notFound(what: string): [number, unknown] {
  return [404, { type: 'urn:problem-type:repovault:not-found', title: 'Not found', status: 404, detail: `${what} was not found` }];
}

function credential(organizationId: string, id: string, role: 'main' | 'additional'): CredentialRecord {
  return {
    id, organizationId, role, method: 'token', username: `bot-${id.slice(0, 6)}`, email: null, secretId: randomUUID(),
    identity: { provider: 'github', key: `github.com/${id.slice(0, 6)}`, login: `bot-${id.slice(0, 6)}` }, tokenKind: 'classic', status: 'valid',
    statusReason: null, scopes: ['repo'], rateLimit: null, capabilities: { git: true, metadata: true }, sharesBudgetWith: [], lastUsedAt: null,
    createdAt: new Date().toISOString(),
  };
}
