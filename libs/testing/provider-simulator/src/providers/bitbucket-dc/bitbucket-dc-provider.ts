import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import type { GitRunner } from '../../core/git/git-runner';
import type { RefCache } from '../../core/git/ref-cache';
import { sendJson } from '../../core/http-io';
import { HttpRouter, type RouteInfo } from '../../core/http-router';
import type { IdentityLedger } from '../../core/identity-stats';
import { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import type { ProviderPlugin } from '../../core/provider-plugin';
import { ProviderWorld, type ProviderRepositorySummary } from '../../core/seeding/provider-world';
import type { RepositorySeed } from '../../core/seeding/seed-config';
import type { SimRepository } from '../../core/world/world-model';
import { BitbucketDcOAuthRoutes } from './bitbucket-dc-oauth-routes';
import { BitbucketDcDirectory } from './bitbucket-dc-directory';
import { BitbucketDcGitService, parseDcGitTarget } from './bitbucket-dc-git-service';
import { bitbucketDcMetadataCounts, type BitbucketDcMetadataCounts } from './bitbucket-dc-metadata';
import { resolveBitbucketDcOptions, type BitbucketDcSimulatorOptions } from './bitbucket-dc-options';
import { BitbucketDcRateLimits } from './bitbucket-dc-rate-limits';
import { BitbucketDcRestApi } from './bitbucket-dc-rest-api';
import { registerDcRoutes, type BitbucketDcContext, type DcRoute } from './bitbucket-dc-routes';
import { bitbucketDcWorldConfig, type BitbucketDcSeed } from './bitbucket-dc-seed';

export interface BitbucketDcProviderOptions {
  seedString: string;
  seed: BitbucketDcSeed | undefined;
  dataDir: string;
  git: GitRunner;
  refs: RefCache;
  clock: Clock;
  ledger: IdentityLedger;
  latencyMs: number;
  seedConcurrency: number;
  options?: BitbucketDcSimulatorOptions;
}

/** Bitbucket Data Center on one listener: REST under `/rest/api/latest` (and `1.0`), git and LFS under `/scm/{key}/{slug}.git`. */
export class BitbucketDcProvider implements ProviderPlugin {
  readonly id = 'bitbucket-dc';
  private readonly rest: BitbucketDcRestApi;
  private readonly git: BitbucketDcGitService;
  /** Data Center's OAuth 2 provider: consent page and token endpoint */
  readonly oauth: BitbucketDcOAuthRoutes;

  private constructor(
    readonly host: ProviderWorld,
    readonly directory: BitbucketDcDirectory,
    private readonly dc: BitbucketDcContext,
  ) {
    this.rest = new BitbucketDcRestApi(dc);
    this.git = new BitbucketDcGitService(dc);
    this.oauth = new BitbucketDcOAuthRoutes(host.world, directory);
  }

  static async create(options: BitbucketDcProviderOptions): Promise<BitbucketDcProvider> {
    const resolved = resolveBitbucketDcOptions(options.options);
    const host = new ProviderWorld({
      reposRoot: join(options.dataDir, 'git', '.bitbucket-dc'),
      lfsRoot: join(options.dataDir, 'lfs', '.bitbucket-dc'),
      git: options.git,
      refs: options.refs,
      clock: options.clock,
      seedConcurrency: options.seedConcurrency,
      // Data Center publishes each pull request's source as refs/pull-requests/N/from.
      pullRef: (n) => `refs/pull-requests/${n}/from`,
    });
    const seed = options.seed ?? { users: [], projects: [] };
    await host.seed(bitbucketDcWorldConfig(options.seedString, seed));
    const directory = new BitbucketDcDirectory(options.seedString, host.world);
    directory.load(seed);
    const dc: BitbucketDcContext = {
      host,
      directory,
      ledger: options.ledger,
      limits: new BitbucketDcRateLimits(resolved, options.clock, options.ledger),
      options: resolved,
      clock: options.clock,
      latencyMs: options.latencyMs,
      lfsTokens: new LfsActionTokens(),
    };
    return new BitbucketDcProvider(host, directory, dc);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostHeader = req.headers.host ?? `127.0.0.1:${req.socket.localPort ?? 80}`;
    const url = new URL(req.url ?? '/', `http://${hostHeader}`);
    if (await this.oauth.handle(req, res, url)) return;
    const target = parseDcGitTarget(url.pathname);
    if (target) {
      await this.git.handle(req, res, url, target);
      return;
    }
    if (url.pathname.startsWith('/rest/api/')) {
      await this.rest.handle(req, res, url);
      return;
    }
    sendJson(res, 404, { errors: [{ context: null, message: `No resource at ${url.pathname}`, exceptionName: null }] });
  }

  resetBudgets(): void {
    this.dc.limits.reset();
  }

  restRoutes(): RouteInfo[] {
    return this.rest.router.routes();
  }

  // The test-time view and mutations RunningSimulator routes here for this provider's owners.

  /** Whether `owner` is one of this provider's project keys. */
  owns(owner: string): boolean {
    return this.host.owns(owner);
  }

  repository(owner: string, name: string): ProviderRepositorySummary & { bitbucketDc: BitbucketDcMetadataCounts } {
    const summary = this.host.summary(owner, name);
    return { ...summary, bitbucketDc: this.metadataCounts(this.host.world.requireRepository(owner, name), summary.refs) };
  }

  async addRepository(owner: string, spec: RepositorySeed): Promise<void> {
    await this.host.addRepository(owner, { ...spec, wiki: false });
  }

  tokens(): Record<string, string> {
    return Object.fromEntries(this.directory.credentials().map((c) => [c.name, c.value]));
  }

  identities(): Record<string, string> {
    return Object.fromEntries(this.directory.credentials().map((c) => [c.name, this.directory.identityOf(c)]));
  }

  identityOfToken(value: string): string | undefined {
    const credential = this.directory.credentialByValue(value);
    return credential ? this.directory.identityOf(credential) : undefined;
  }

  metadataCounts(repo: SimRepository, refs: Record<string, string>): BitbucketDcMetadataCounts {
    return bitbucketDcMetadataCounts(repo, refs);
  }
}

/** The REST routes the Data Center simulator serves, without starting one. */
export function bitbucketDcRestRouteTable(): RouteInfo[] {
  const router = new HttpRouter<DcRoute>();
  registerDcRoutes(router);
  return router.routes();
}
