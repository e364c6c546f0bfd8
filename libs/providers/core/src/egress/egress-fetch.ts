import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, fetch as undiciFetch } from 'undici';
import { EgressBlockedError } from '../provider-errors';
import { isPublicAddress } from './address-policy';
import type { EgressPolicy } from './egress-policy';

export type ProviderFetch = (url: string, init?: RequestInit) => Promise<Response>;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A DNS lookup that refuses private targets, used by the socket at connect time. */
export function guardedLookup(policy: EgressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, verbatim: true }, ((error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((a) => a.address) : [address];
      const refused = policy.allowPrivateAddresses ? [] : addresses.filter((a) => !isPublicAddress(a));
      if (refused.length > 0) {
        return callback(new EgressBlockedError(`${hostname} resolved to ${refused.join(', ')}, which is not a public address`), address, family);
      }
      callback(null, address, family);
    }) as never);
  };
}

/**
 * fetch for every provider call: SSRF rules enforced at connect time (the resolved address is
 * checked, IP literals too), keep-alive connections, and timeouts on waiting (for headers, and
 * between body chunks) rather than on the whole transfer, so a long clone or download is not cut.
 */
export function createEgressFetch(policy: EgressPolicy, options: { headersTimeoutMs?: number; idleTimeoutMs?: number; connections?: number } = {}): ProviderFetch {
  const dispatcher = new Agent({
    connect: { lookup: guardedLookup(policy) as never, timeout: 30_000 },
    connections: options.connections ?? 64,
    keepAliveTimeout: 10_000,
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.idleTimeoutMs ?? 120_000,
  });
  return async (url, init = {}) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!policy.allowPrivateAddresses && isIP(host) && !isPublicAddress(host)) {
      throw new EgressBlockedError(`${host} is not a public address`);
    }
    const response = await undiciFetch(url, { ...(init as object), dispatcher } as never);
    return response as unknown as Response;
  };
}
