import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import {
  type AdapterTarget, CredentialRejectedError, type ProviderFetch, UpstreamNotFoundError, UpstreamRateLimitedError, UpstreamUnavailableError,
} from '@repovault/providers/core';
import { bitbucketCloudBudgetFrom } from './bitbucket-cloud-rate-limit';
import { BITBUCKET_CLOUD_APP_PASSWORD_EXPLANATION } from './bitbucket-cloud-tokens';

export const BITBUCKET_USER_AGENT = 'repovault';

/**
 * axios's fetch adapter over the target's fetch (the transport seam: authorization, egress rules,
 * claims): axios hands it a URL string or a Request, the seam takes a URL and an init.
 */
export function fetchThroughSeam(fetch: ProviderFetch): (input: URL | Request | string, init?: RequestInit) => Promise<Response> {
  return (input, init) => {
    if (typeof input === 'string' || input instanceof URL) return fetch(String(input), init);
    const body = input.body;
    return fetch(input.url, {
      method: input.method,
      headers: new Headers(input.headers),
      body,
      signal: input.signal,
      redirect: init?.redirect ?? input.redirect,
      ...(body ? { duplex: 'half' } : {}),
    } as RequestInit);
  };
}

/**
 * axios for one target: the fetch adapter through the seam, no redirects followed (the seam sees
 * every hop; download redirects are followed by the exporter), every status returned (mapped by
 * `expectOk`), repeated query parameters as `state=A&state=B`.
 */
export function createBitbucketHttp(target: AdapterTarget): AxiosInstance {
  return axios.create({
    baseURL: target.apiBaseUrl.replace(/\/+$/, ''),
    adapter: 'fetch',
    env: { fetch: fetchThroughSeam(target.fetch) },
    maxRedirects: 0,
    validateStatus: () => true,
    headers: { accept: 'application/json', 'user-agent': BITBUCKET_USER_AGENT },
    paramsSerializer: { indexes: null },
  });
}

/** Runs an axios call; errors of the seam itself (claims, egress rules, aborts) come out as they were thrown. */
export async function send<T>(call: () => Promise<AxiosResponse<T>>): Promise<AxiosResponse<T>> {
  try {
    return await call();
  } catch (error) {
    if (axios.isAxiosError(error)) {
      const cause = (error as { cause?: unknown }).cause;
      if (error.code === 'ERR_CANCELED') throw cause instanceof Error ? cause : error;
      if (cause instanceof Error && !axios.isAxiosError(cause) && !(cause.name === 'TypeError' && /fetch/i.test(cause.message))) throw cause;
      throw new UpstreamUnavailableError(`Bitbucket could not be reached: ${error.message}`);
    }
    throw error;
  }
}

export function headersOf(response: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) if (value !== undefined && value !== null) out[name.toLowerCase()] = String(value);
  return out;
}

/** Bitbucket Cloud's error envelope `{ type: 'error', error: { message, detail } }`. */
export function bitbucketCloudMessage(data: unknown): string {
  const error = (data as { error?: { message?: unknown; detail?: unknown } } | undefined)?.error;
  if (!error) return typeof data === 'string' ? data.slice(0, 200) : '';
  const detail = error.detail === undefined ? '' : ` (${typeof error.detail === 'string' ? error.detail : JSON.stringify(error.detail)})`;
  return `${typeof error.message === 'string' ? error.message : ''}${detail}`;
}

/** The credential lacks a scope (or is the wrong kind) for an endpoint: Bitbucket's 403. */
export class BitbucketForbiddenError extends Error {
  constructor(what: string, readonly providerMessage: string) {
    super(`Bitbucket refused access to ${what}: ${providerMessage || 'forbidden'}`);
    this.name = 'BitbucketForbiddenError';
  }
}

/** The provider-neutral error for a Bitbucket Cloud status, or null for 2xx. */
export function bitbucketCloudErrorFor(status: number, headers: Record<string, string>, data: unknown, what: string): Error | null {
  if (status >= 200 && status < 300) return null;
  const message = bitbucketCloudMessage(data);
  if (status === 401) {
    return new CredentialRejectedError(`Bitbucket Cloud rejected the credential (revoked, expired, mistyped, or an API token sent without its account email). If it is an app password: ${BITBUCKET_CLOUD_APP_PASSWORD_EXPLANATION}`);
  }
  if (status === 404) return new UpstreamNotFoundError(what);
  if (status === 429) return new UpstreamRateLimitedError(bitbucketCloudBudgetFrom(status, headers).retryAfterMs ?? null, `Bitbucket Cloud rate-limited ${what}`);
  if (status === 403) return new BitbucketForbiddenError(what, message);
  if (status >= 500) return new UpstreamUnavailableError(`Bitbucket Cloud answered ${status} for ${what}`);
  return new Error(`Bitbucket Cloud answered ${status} for ${what}: ${message}`);
}

export function expectOk<T>(response: AxiosResponse<T>, what: string): AxiosResponse<T> {
  const error = bitbucketCloudErrorFor(response.status, headersOf(response), response.data, what);
  if (error) throw error;
  return response;
}
