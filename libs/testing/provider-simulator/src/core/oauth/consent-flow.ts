import type { IncomingMessage, ServerResponse } from 'node:http';
import { headerValue } from '../http-io';
import type { GrantSubject, OAuthAuthorizationServer, TokenAnswer } from './oauth-authorization-server';
import { escapeHtml, hiddenFields, readForm, redirect, sendErrorPage, sendPage, sendTokenAnswer } from './web-pages';

/** What a provider plugs into the shared consent page and token endpoint. */
export interface ConsentProvider {
  /** shown in the page header: GitHub, GitLab, Bitbucket, Bitbucket Data Center */
  displayName: string;
  server: OAuthAuthorizationServer;
  /** the account signing in (the simulator has no passwords: a login is enough) */
  findSubject(login: string): GrantSubject | undefined;
  /** how the token endpoint answers: GitHub sends a form unless asked for JSON, and errors with 200 */
  tokenFormat?(req: IncomingMessage): { form: 'json' | 'urlencoded'; errorsAsOk: boolean };
}

const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'state', 'scope', 'response_type', 'code_challenge', 'code_challenge_method'] as const;

function consentBody(provider: ConsentProvider, params: URLSearchParams, action: string, error?: string): string {
  const parsed = provider.server.parseAuthorize(params);
  const appName = parsed.ok ? parsed.request.client.name : 'the application';
  const scopes = parsed.ok ? parsed.request.scopes : [];
  return `<h1 id="consent-title">Authorize ${escapeHtml(appName)}</h1>
<p><strong>${escapeHtml(appName)}</strong> wants to access your ${escapeHtml(provider.displayName)} account.</p>
${scopes.length > 0 ? `<p>It asks for:</p><ul id="consent-scopes">${scopes.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ul>` : ''}
${error ? `<p class="error" id="consent-error">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(action)}">
${hiddenFields(params, AUTHORIZE_PARAMS)}
<label for="login">Signed in as</label>
<input type="text" id="login" name="login" autocomplete="username" value="${escapeHtml(params.get('login') ?? '')}" placeholder="your ${escapeHtml(provider.displayName)} username" required>
<div class="actions">
<button type="submit" name="decision" value="authorize" id="authorize">Authorize ${escapeHtml(appName)}</button>
<button type="submit" name="decision" value="deny" class="secondary" id="deny" formnovalidate>Cancel</button>
</div>
</form>
<p class="note">Authorizing will redirect to ${escapeHtml(parsed.ok ? new URL(parsed.request.redirectUri).origin : '')}</p>`;
}

/**
 * The provider's authorize endpoint: GET shows the consent page (the request checked first: an
 * unknown client or an unregistered redirect URI is an error page, never a redirect); POST is the
 * person's answer, redirected to the application with a code and the state, or `access_denied`.
 */
export async function handleAuthorize(req: IncomingMessage, res: ServerResponse, url: URL, provider: ConsentProvider): Promise<void> {
  if (req.method === 'GET') {
    const parsed = provider.server.parseAuthorize(url.searchParams);
    if (!parsed.ok) return sendErrorPage(res, provider.displayName, 400, parsed.message);
    return sendPage(res, 200, { provider: provider.displayName, title: `Authorize ${parsed.request.client.name}`, body: consentBody(provider, url.searchParams, url.pathname) });
  }
  if (req.method !== 'POST') return sendErrorPage(res, provider.displayName, 405, 'Method not allowed');
  const form = await readForm(req);
  const parsed = provider.server.parseAuthorize(form);
  if (!parsed.ok) return sendErrorPage(res, provider.displayName, 400, parsed.message);
  if (form.get('decision') === 'deny') return redirect(res, provider.server.deny(parsed.request));
  const login = (form.get('login') ?? '').trim();
  const subject = login ? provider.findSubject(login) : undefined;
  if (!subject) {
    return sendPage(res, 200, {
      provider: provider.displayName,
      title: `Authorize ${parsed.request.client.name}`,
      body: consentBody(provider, form, url.pathname, `There is no ${provider.displayName} account named "${login}".`),
    });
  }
  redirect(res, provider.server.grant(parsed.request, subject));
}

/** The token endpoint: `authorization_code` (with the PKCE verifier) and `refresh_token`. */
export async function handleToken(req: IncomingMessage, res: ServerResponse, provider: ConsentProvider): Promise<void> {
  const format = provider.tokenFormat?.(req) ?? { form: 'json' as const, errorsAsOk: false };
  if (req.method !== 'POST') {
    sendTokenAnswer(res, 405, { error: 'invalid_request', error_description: 'POST only' }, format.form);
    return;
  }
  const form = await readForm(req);
  const client = provider.server.authenticateClient(form, headerValue(req, 'authorization'));
  const grantType = form.get('grant_type') ?? (form.has('code') ? 'authorization_code' : '');
  let answer: TokenAnswer;
  if (grantType === 'authorization_code') answer = provider.server.exchange(form, client);
  else if (grantType === 'refresh_token') answer = provider.server.refresh(form, client);
  else answer = { ok: false, status: 400, error: 'unsupported_grant_type', description: `grant_type ${grantType || '(none)'} is not supported.` };
  if (answer.ok) {
    sendTokenAnswer(res, 200, answer.body, format.form);
    return;
  }
  sendTokenAnswer(res, format.errorsAsOk ? 200 : answer.status, { error: answer.error, error_description: answer.description }, format.form);
}
