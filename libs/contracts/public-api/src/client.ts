import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/schema';

export type { components, paths } from './generated/schema';
export type RepoVaultClient = Client<paths>;
export type Schemas = components['schemas'];

/** A typed client of the public API, generated from the committed OpenAPI document. */
export function createRepoVaultClient(
  baseUrl: string,
  auth: { apiKey?: string; adminToken?: string } = {},
  options: { fetch?: (request: Request) => Promise<Response> } = {},
): RepoVaultClient {
  const headers: Record<string, string> = {};
  if (auth.apiKey) headers['authorization'] = `Bearer ${auth.apiKey}`;
  if (auth.adminToken) headers['x-admin-token'] = auth.adminToken;
  return createClient<paths>({ baseUrl, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
}
