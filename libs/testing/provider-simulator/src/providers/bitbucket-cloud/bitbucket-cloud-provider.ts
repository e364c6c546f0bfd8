import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Clock } from '../../core/clock';
import type { GitRunner } from '../../core/git/git-runner';
import type { RefCache } from '../../core/git/ref-cache';
import { send, sendJson } from '../../core/http-io';
import { HttpRouter, type RouteInfo } from '../../core/http-router';
import type { IdentityLedger } from '../../core/identity-stats';
import { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import type { ProviderPlugin } from '../../core/provider-plugin';
import { ProviderWorld, type ProviderRepositorySummary } from '../../core/seeding/provider-world';
import type { RepositorySeed } from '../../core/seeding/seed-config';
import type { SimRepository } from '../../core/world/world-model';
import type { BitbucketCloudContext, CloudRoute } from './bitbucket-cloud-context';
import { BitbucketCloudOAuthRoutes } from './bitbucket-cloud-oauth';
import { BitbucketCloudDirectory } from './bitbucket-cloud-directory';
import { DOWNLOAD_MEDIA_PREFIX, DownloadLinks } from './bitbucket-cloud-downloads';
import { BitbucketCloudGitService, parseCloudGitTarget } from './bitbucket-cloud-git-service';
import { bitbucketCloudMetadataCounts, downloadsOf, type BitbucketCloudMetadataCounts } from './bitbucket-cloud-metadata';
import { resolveBitbucketCloudOptions, type BitbucketCloudSimulatorOptions } from './bitbucket-cloud-options';
import { BitbucketCloudRateLimits } from './bitbucket-cloud-rate-limits';
import { BitbucketCloudRestApi } from './bitbucket-cloud-rest-api';
import { CLOUD_API_PREFIX, registerCloudRoutes } from './bitbucket-cloud-routes';
import { bitbucketCloudWorldConfig, type BitbucketCloudSeed } from './bitbucket-cloud-seed';

export interface BitbucketCloudProviderOptions {
  /** The seed config's seed string. */
  seedString: string;
  seed: BitbucketCloudSeed | undefined;
  dataDir: string;
  git: GitRunner;
  refs: RefCache;
  clock: Clock;
  ledger: IdentityLedger;
  latencyMs: number;
  seedConcurrency: number;
  options?: BitbucketCloudSimulatorOptions;
}

/**
 * Bitbucket Cloud on one listener: the API under `/2.0` (api.bitbucket.org/2.0), git and LFS at
 * `/{workspace}/{slug}.git` (bitbucket.org), wikis at `/{workspace}/{slug}.git/wiki`, and the
 * storage host download redirects point at under `/media/downloads/`.
 */
export class BitbucketCloudProvider implements ProviderPlugin {
  readonly id = 'bitbucket-cloud';
  private readonly rest: BitbucketCloudRestApi;
  private readonly git: BitbucketCloudGitService;
  /** bitbucket.org's OAuth 2 for consumers: consent page and token endpoint */
  readonly oauth: BitbucketCloudOAuthRoutes;

  private constructor(
    readonly host: ProviderWorld,
    readonly directory: BitbucketCloudDirectory,
    private readonly cloud: BitbucketCloudContext,
  ) {
    this.rest = new BitbucketCloudRestApi(cloud);
    this.git = new BitbucketCloudGitService(cloud);
    this.oauth = new BitbucketCloudOAuthRoutes(host.world, directory);
  }

  static async create(options: BitbucketCloudProviderOptions): Promise<BitbucketCloudProvider> {
    const resolved = resolveBitbucketCloudOptions(options.options);
    const host = new ProviderWorld({
      reposRoot: join(options.dataDir, 'git', '.bitbucket-cloud'),
      lfsRoot: join(options.dataDir, 'lfs', '.bitbucket-cloud'),
      git: options.git,
      refs: options.refs,
      clock: options.clock,
      seedConcurrency: options.seedConcurrency,
      // bitbucket.org publishes no refs for pull requests.
      pullRef: () => null,
    });
    const seed = options.seed ?? { users: [], workspaces: [] };
    await host.seed(bitbucketCloudWorldConfig(options.seedString, seed));
    const directory = new BitbucketCloudDirectory(options.seedString, host.world);
    directory.load(seed);
    const cloud: BitbucketCloudContext = {
      host,
      directory,
      ledger: options.ledger,
      limits: new BitbucketCloudRateLimits(resolved, options.clock, options.ledger, directory),
      options: resolved,
      clock: options.clock,
      latencyMs: options.latencyMs,
      lfsTokens: new LfsActionTokens(),
      downloads: new DownloadLinks(),
    };
    return new BitbucketCloudProvider(host, directory, cloud);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? `127.0.0.1:${req.socket.localPort ?? 80}`;
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (await this.oauth.handle(req, res, url)) return;
    if (url.pathname.startsWith(DOWNLOAD_MEDIA_PREFIX)) {
      this.serveDownload(res, url);
      return;
    }
    const target = parseCloudGitTarget(url.pathname);
    if (target) {
      await this.git.handle(req, res, url, target);
      return;
    }
    if (url.pathname === CLOUD_API_PREFIX || url.pathname.startsWith(`${CLOUD_API_PREFIX}/`)) {
      await this.rest.handle(req, res, url);
      return;
    }
    sendJson(res, 404, { type: 'error', error: { message: 'Resource not found' } });
  }

  resetBudgets(): void {
    this.cloud.limits.reset();
  }

  restRoutes(): RouteInfo[] {
    return this.rest.router.routes();
  }

  // The test-time view and mutations RunningSimulator routes here for this provider's owners.

  /** Whether `owner` is one of this provider's workspaces. */
  owns(owner: string): boolean {
    return this.host.owns(owner);
  }

  repository(owner: string, name: string): ProviderRepositorySummary & { bitbucketCloud: BitbucketCloudMetadataCounts } {
    const summary = this.host.summary(owner, name);
    return { ...summary, bitbucketCloud: this.metadataCounts(this.host.world.requireRepository(owner, name), summary.refs) };
  }

  async addRepository(owner: string, spec: RepositorySeed): Promise<void> {
    await this.host.addRepository(owner, spec);
  }

  tokens(): Record<string, string> {
    return Object.fromEntries(this.directory.credentials().map((c) => [c.name, c.value]));
  }

  /** Token name -> identity key its requests count under. */
  identities(): Record<string, string> {
    return Object.fromEntries(this.directory.credentials().map((c) => [c.name, this.directory.identityOf(c)]));
  }

  identityOfToken(value: string): string | undefined {
    const credential = this.directory.credentialByValue(value);
    return credential ? this.directory.identityOf(credential) : undefined;
  }

  metadataCounts(repo: SimRepository, refs: Record<string, string>): BitbucketCloudMetadataCounts {
    return bitbucketCloudMetadataCounts(repo, this.directory, refs);
  }

  /** The storage host: signed, short-lived, no credentials needed (and none counted). */
  private serveDownload(res: ServerResponse, url: URL): void {
    const token = url.pathname.slice(DOWNLOAD_MEDIA_PREFIX.length).split('/')[0] ?? '';
    const grant = this.cloud.downloads.resolve(token, this.cloud.clock.now());
    const repo = grant ? this.host.world.allRepositories().find((r) => r.id === grant.repositoryId) : undefined;
    const asset = repo && grant ? downloadsOf(repo).find((a) => a.name === grant.name) : undefined;
    if (!asset) {
      send(res, 403, Buffer.from('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'), { 'content-type': 'application/xml' });
      return;
    }
    send(res, 200, asset.content, { 'content-type': asset.contentType, 'content-disposition': `attachment; filename="${asset.name}"` });
  }
}

/** The REST routes the Bitbucket Cloud simulator serves, without starting one (for checks against the official description). */
export function bitbucketCloudRestRouteTable(): RouteInfo[] {
  const router = new HttpRouter<CloudRoute>();
  registerCloudRoutes(router);
  return router.routes();
}
