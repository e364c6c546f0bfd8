import { ConfigValueError } from '@repovault/platform/config';
import { providerSupport } from '@repovault/providers/catalog';
import { PROVIDER_KINDS, type ProviderKind } from '@repovault/providers/core';
import { DocumentReader, readOperatorDocument } from './operator-document';

/** One of the operator's own OAuth applications ("Connect" in standard mode). */
export interface OperatorOAuthClient {
  provider: ProviderKind;
  /** the provider's API base URL it belongs to (cloud by default) */
  apiBaseUrl: string;
  clientId: string;
  clientSecret: string;
}

/**
 * REPOVAULT_OAUTH_CLIENTS: the operator's OAuth applications for standard mode, one per provider
 * and host; tenants bring their own for self-managed instances (advanced mode, POST /v1/oauth-apps).
 *
 * ```yaml
 * clients:
 *   - { provider: github, clientId: Iv1.abc, clientSecretFile: github-oauth.secret }
 *   - { provider: gitlab, clientId: 4f2…, clientSecretFile: gitlab-oauth.secret }        # baseUrl: self-managed
 * ```
 */
export function parseOperatorOAuthClients(raw: string): OperatorOAuthClient[] {
  const doc = readOperatorDocument(raw);
  const entries = Array.isArray(doc.value) ? doc.value : DocumentReader.object(doc.value, 'REPOVAULT_OAUTH_CLIENTS', doc.baseDir).list('clients');
  const clients = entries.map((entry, index) => {
    const reader = DocumentReader.object(entry, `REPOVAULT_OAUTH_CLIENTS.clients[${index}]`, doc.baseDir);
    reader.unknownKeys(['provider', 'baseUrl', 'clientId', 'clientSecret', 'clientSecretFile']);
    const provider = reader.string('provider', new RegExp(`^(${PROVIDER_KINDS.join('|')})$`), `must be one of ${PROVIDER_KINDS.join(', ')}`) as ProviderKind;
    const support = providerSupport(provider);
    const baseUrl = reader.optionalString('baseUrl');
    if (support.baseUrlRequired && !baseUrl) throw new ConfigValueError(`${reader.path}.baseUrl is required for ${support.displayName}`);
    let apiBaseUrl: string;
    try {
      apiBaseUrl = support.apiBaseUrl(baseUrl ?? null);
    } catch {
      throw new ConfigValueError(`${reader.path}.baseUrl must be a URL (got "${baseUrl ?? ''}")`);
    }
    return { provider, apiBaseUrl, clientId: reader.string('clientId'), clientSecret: reader.secret('clientSecret') };
  });
  const keys = new Set(clients.map((c) => `${c.provider} ${c.apiBaseUrl}`));
  if (keys.size !== clients.length) throw new ConfigValueError('REPOVAULT_OAUTH_CLIENTS has two clients for one provider and host');
  return clients;
}
