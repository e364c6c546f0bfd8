import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { EgressBlockedError } from '../provider-errors';
import { isPublicAddress } from './address-policy';

export interface EgressPolicy {
  /** REPOVAULT_ALLOW_PRIVATE_PROVIDER_URLS: simulators and labs on http and private addresses */
  allowPrivateAddresses: boolean;
}

/**
 * Validates a user-supplied provider base URL: https (unless private targets are allowed), no
 * credentials or fragments in it, and every address it resolves to public. Connect-time checks
 * happen again in the egress fetch (DNS can change between now and then).
 */
export async function checkBaseUrl(raw: string, policy: EgressPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new EgressBlockedError(`"${raw}" is not a URL`);
  }
  if (url.username || url.password) throw new EgressBlockedError('the base URL must not contain credentials');
  if (url.search || url.hash) throw new EgressBlockedError('the base URL must not contain a query or fragment');
  if (url.protocol !== 'https:' && !(policy.allowPrivateAddresses && url.protocol === 'http:')) {
    throw new EgressBlockedError('the base URL must use https');
  }
  if (!policy.allowPrivateAddresses) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addresses = isIP(host) ? [host] : await resolveAll(host);
    const blocked = addresses.filter((a) => !isPublicAddress(a));
    if (blocked.length > 0) {
      throw new EgressBlockedError(`${url.hostname} resolves to a private, loopback or link-local address (${blocked.join(', ')}), which is not allowed`);
    }
  }
  return url;
}

async function resolveAll(host: string): Promise<string[]> {
  try {
    return (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    throw new EgressBlockedError(`${host} does not resolve`);
  }
}
