import { type ProviderSupport, providerSupport } from '@repovault/providers/catalog';
import type { ProviderFetch, ProviderKind } from '@repovault/providers/core';
import { UpstreamProblemError } from '@repovault/platform/http';
import type { ClaimBroker, HeldLease } from './claim-broker';
import { CACHED_HEADERS, type CachedResponse, type ConditionalCache } from './conditional-cache';
import type { CredentialMaterialCache } from './credential-material-cache';

/** Who a call is for: the claim names it. */
export interface TransportContext {
  tenantId: string;
  organizationId: string;
  purpose: 'backup' | 'restore' | 'discovery';
  runId?: string;
  planId?: string;
  provider: ProviderKind;
  /** origins that receive the credential (the provider's API and git hosts); nothing else does */
  credentialOrigins: string[];
  signal?: AbortSignal;
  /** set when a claim could not be made because credential-service was unreachable */
  claimsUnavailable?: boolean;
  /** why credential-service refused a claim (403: e.g. a worker of another pool); retrying cannot help */
  claimRefused?: string;
  /** provider requests made on behalf of this context */
  requests?: number;
}

export type TransportMode = 'api' | 'git';

/** One provider call, as it happened (for debug logs and metrics). */
export interface ProviderCallEvent {
  method: string;
  url: string;
  status: number;
  resource: string;
  identityKey: string;
  revalidated: boolean;
}

const RATE_HEADER = /^(x-ratelimit-|ratelimit-|retry-after$)/i;
const RENEW_EVERY_MS = 20_000;
const CACHEABLE_BYTES = 8 * 1024 * 1024;

/**
 * The transport seam with claims in front: every provider call is paid for with a rate-limit token
 * claimed from credential-service, gets the chosen credential's authorization here (adapters and
 * git never see a secret), goes out through the egress fetch (SSRF rules at connect time), and
 * completes its claim with the provider's status and rate-limit headers once the body was read.
 */
export class ClaimedTransport {
  constructor(
    private readonly broker: ClaimBroker,
    private readonly materials: CredentialMaterialCache,
    private readonly egress: ProviderFetch,
    private readonly onCompleteFailure: (error: unknown) => void = () => undefined,
    /** conditional requests for GET listings (the worker's ETag index) */
    private readonly cache?: ConditionalCache,
    private readonly onCall: (event: ProviderCallEvent) => void = () => undefined,
  ) {}

  /** A fetch for adapters (REST calls) of one context. */
  fetchFor(context: TransportContext, mode: TransportMode = 'api'): ProviderFetch {
    return (url, init) => this.fetch(context, url, init ?? {}, mode);
  }

  async fetch(context: TransportContext, url: string, init: RequestInit, mode: TransportMode, revalidate = true): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    context.requests = (context.requests ?? 0) + 1;
    // LFS actions carry their own short-lived authorization; other hosts never get our credential
    if (!context.credentialOrigins.includes(target.origin) || headers.has('authorization')) {
      return this.egress(url, { ...init, headers, redirect: 'manual' });
    }
    const support = providerSupport(context.provider);
    const resource = mode === 'git' ? 'git' : support.resourceOf(target.pathname, init.method ?? 'GET');
    const cache = revalidate && mode === 'api' && (init.method ?? 'GET').toUpperCase() === 'GET' ? this.cache : undefined;
    const cached = cache ? await cache.lookup(url) : new Map<string, CachedResponse>();
    let lease: HeldLease;
    try {
      lease = await this.broker.acquire(context.tenantId, {
        purpose: context.purpose, organizationId: context.organizationId, resource, runId: context.runId, planId: context.planId,
        // an ETag only works for the identity it was given to: keep that identity when it has budget
        preferIdentity: newest(cached),
      }, context.signal);
    } catch (error) {
      if ((error as Error).name === 'RetryLaterError') context.claimsUnavailable = true;
      else if (error instanceof UpstreamProblemError && error.problem.status === 403) context.claimRefused = error.problem.detail;
      throw error;
    }
    const done = this.completer(context, lease);
    try {
      const material = await this.materials.get(context.tenantId, context.runId ?? `${context.purpose}:${context.organizationId}`, lease.credentialId);
      headers.set('authorization', authorizationFor(support, mode, material));
      const entry = cached.get(lease.identityKey);
      if (entry) headers.set('if-none-match', entry.etag);
      const response = await this.egress(url, { ...init, headers, redirect: 'manual' });
      this.onCall({ method: init.method ?? 'GET', url, status: response.status, resource, identityKey: lease.identityKey, revalidated: entry !== undefined });
      const rate = rateHeaders(response.headers);
      if (cache && entry && response.status === 304) {
        done.finish({ status: 304, headers: rate, notModified: true });
        const body = await cache.body(entry.bodySha256);
        if (body) return new Response(new Uint8Array(body), { status: entry.status, headers: { ...entry.headers, ...rate, etag: entry.etag } });
        await cache.forget(lease.identityKey, url); // body lost: ask again, unconditionally
        return this.fetch(context, url, init, mode, false);
      }
      const etag = response.headers.get('etag');
      if (cache && etag && response.status === 200 && /json/.test(response.headers.get('content-type') ?? '')) {
        const body = Buffer.from(await response.arrayBuffer());
        done.finish({ status: response.status, headers: rate });
        if (body.length <= CACHEABLE_BYTES) {
          const keep: Record<string, string> = {};
          for (const name of CACHED_HEADERS) {
            const value = response.headers.get(name);
            if (value !== null) keep[name] = value;
          }
          await cache.remember(lease.identityKey, url, { etag, status: 200, headers: keep, body });
        }
        return new Response(new Uint8Array(body), { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      if (response.status === 403 || response.status === 429) {
        const text = await response.text();
        done.finish({ status: response.status, headers: rate, secondaryLimit: /secondary rate limit/i.test(text) });
        return new Response(text, { status: response.status, statusText: response.statusText, headers: response.headers });
      }
      if (!response.body || response.status === 304) {
        done.finish({ status: response.status, headers: rate, notModified: response.status === 304 });
        return response;
      }
      // the lease is held (and renewed) while the body streams; completing does not hold the caller up
      return new Response(tracked(response.body, () => done.finish({ status: response.status, headers: rate })), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      done.finish({ status: 599, headers: {} });
      throw error;
    }
  }

  private completer(context: TransportContext, lease: HeldLease) {
    let finished = false;
    const renewer = setInterval(() => void this.broker.renew(context.tenantId, lease).catch(() => undefined), RENEW_EVERY_MS);
    renewer.unref();
    return {
      finish: (completion: { status: number; headers: Record<string, string>; notModified?: boolean; secondaryLimit?: boolean }) => {
        if (finished) return;
        finished = true;
        clearInterval(renewer);
        this.broker.complete(context.tenantId, lease, context.runId, completion).catch(this.onCompleteFailure);
      },
    };
  }
}

function newest(cached: Map<string, CachedResponse>): string | undefined {
  let best: [string, number] | undefined;
  for (const [identity, entry] of cached) if (!best || entry.updatedAt > best[1]) best = [identity, entry.updatedAt];
  return best?.[0];
}

function authorizationFor(support: ProviderSupport, mode: TransportMode, material: Parameters<ProviderSupport['authorization']>[0]): string {
  return mode === 'git' ? support.gitAuthorization(material) : support.authorization(material);
}

function rateHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (RATE_HEADER.test(name)) out[name] = value;
  });
  return out;
}

/** Passes a body through and calls `onEnd` once it has been read to the end or abandoned. */
function tracked(body: ReadableStream<Uint8Array>, onEnd: () => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          onEnd();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        controller.error(error);
        onEnd();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason).catch(() => undefined);
      onEnd();
    },
  });
}
