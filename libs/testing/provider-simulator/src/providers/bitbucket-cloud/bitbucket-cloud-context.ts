import type { IncomingMessage } from 'node:http';
import type { Clock } from '../../core/clock';
import type { IdentityLedger } from '../../core/identity-stats';
import type { LfsActionTokens } from '../../core/lfs/lfs-action-tokens';
import type { ProviderWorld } from '../../core/seeding/provider-world';
import type { BitbucketCloudViewer } from './bitbucket-cloud-auth';
import type { BitbucketCloudDirectory } from './bitbucket-cloud-directory';
import type { DownloadLinks } from './bitbucket-cloud-downloads';
import type { ResolvedBitbucketCloudOptions } from './bitbucket-cloud-options';
import type { BitbucketCloudRateLimits } from './bitbucket-cloud-rate-limits';
import type { CloudSerializerContext } from './bitbucket-cloud-serializers';
import type { ScopeNeed } from './bitbucket-cloud-access';

/** What the Bitbucket Cloud provider's parts share. */
export interface BitbucketCloudContext {
  host: ProviderWorld;
  directory: BitbucketCloudDirectory;
  ledger: IdentityLedger;
  limits: BitbucketCloudRateLimits;
  options: ResolvedBitbucketCloudOptions;
  clock: Clock;
  latencyMs: number;
  lfsTokens: LfsActionTokens;
  downloads: DownloadLinks;
}

export interface CloudRequest {
  cloud: BitbucketCloudContext;
  viewer: BitbucketCloudViewer;
  params: Record<string, string>;
  /** The absolute request URL as the client sent it. */
  url: URL;
  ser: CloudSerializerContext;
  /** The request itself, for routes that read a body (writes). */
  req: IncomingMessage;
}

export type CloudResult =
  | { kind: 'json'; status: number; body: unknown }
  | { kind: 'page'; items: unknown[]; maxPagelen: number; render(items: unknown[]): Promise<unknown[]> | unknown[] }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; status: number; message: string; detail?: unknown };

export interface CloudRoute {
  need: ScopeNeed;
  handler(request: CloudRequest): Promise<CloudResult> | CloudResult;
}
