import { EgressBlockedError, type EgressPolicy, checkBaseUrl, guardedLookup } from '@repovault/providers/core';
import type { Request } from 'express';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import OAuth2Strategy from 'passport-oauth2';
import type { OAuthEndpoints } from './oauth-endpoints';
import { type TokenSet, tokenSetFrom } from './token-set';

export interface OAuthClientSettings {
  endpoints: OAuthEndpoints;
  clientId: string;
  clientSecret: string;
  /** `GET /v1/oauth/callback` as the provider must call it back (registered with the OAuth application) */
  redirectUri: string;
  /** SSRF rules for the token endpoint: checked before and enforced at connect time */
  egress: EgressPolicy;
  timeoutMs?: number;
}

/** The provider refused an authorization, a code or a refresh token (its own error code and words). */
export class OAuthGrantError extends Error {
  constructor(readonly code: string, message: string, readonly status: number | null = null) {
    super(message);
    this.name = 'OAuthGrantError';
  }
}

/** The token endpoint could not be reached or answered something that is not OAuth. */
export class OAuthUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OAuthUnavailableError';
  }
}

type Outcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: unknown }
  | { kind: 'fail'; challenge: unknown }
  | { kind: 'error'; error: unknown };

type StoreCallback = (error: Error | null, state?: string) => void;
type VerifyCallback = (error: Error | null, ok: string | boolean, state?: unknown) => void;

/**
 * passport-oauth2's state store seam. This client keeps no state of its own: the caller persists the
 * state and the PKCE verifier (single use, bound to a tenant) and hands them back for the exchange.
 * The arities matter: passport passes the generated PKCE verifier only to a 5-argument `store`.
 */
class HandedStateStore {
  verifier: string | null = null;

  constructor(private readonly state: string, private readonly codeVerifier: string | null) {}

  store(_req: Request, verifier: string | undefined, _state: unknown, _meta: unknown, callback: StoreCallback): void {
    this.verifier = verifier ?? null;
    callback(null, this.state);
  }

  verify(_req: Request, providedState: string, _meta: unknown, callback: VerifyCallback): void {
    if (providedState !== this.state) return callback(null, false, { message: 'the state does not match' });
    // a string tells passport to send it as code_verifier (PKCE); true: no PKCE for this provider
    callback(null, this.codeVerifier ?? true, { state: providedState });
  }
}

/** OAuth2Strategy with the token endpoint behind the SSRF rules and a refresh grant. */
class ProviderOAuthStrategy extends OAuth2Strategy {
  constructor(settings: OAuthClientSettings, store: HandedStateStore) {
    super(
      {
        authorizationURL: settings.endpoints.authorizeUrl,
        tokenURL: settings.endpoints.tokenUrl,
        clientID: settings.clientId,
        clientSecret: settings.clientSecret,
        callbackURL: settings.redirectUri,
        scope: settings.endpoints.scopes.length > 0 ? settings.endpoints.scopes : undefined,
        scopeSeparator: ' ',
        pkce: settings.endpoints.pkce,
        store: store as unknown as OAuth2Strategy.StateStore,
        skipUserProfile: true,
        // Bitbucket Cloud authenticates the client with Basic; the others read the form (sent too, harmlessly)
        customHeaders: {
          accept: 'application/json',
          ...(settings.endpoints.provider === 'bitbucket-cloud'
            ? { authorization: `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}` }
            : {}),
        },
      },
      // node-oauth takes refresh_token out of the params it hands on: put it back
      (access: string, refresh: string, params: Record<string, unknown>, _profile: unknown, verified: OAuth2Strategy.VerifyCallback) =>
        verified(null, { params: { ...params, access_token: access, refresh_token: refresh } } as never),
    );
    const lookup = guardedLookup(settings.egress) as never;
    const https = new URL(settings.endpoints.tokenUrl).protocol === 'https:';
    this._oauth2.setAgent(https ? new HttpsAgent({ lookup, keepAlive: false }) : new HttpAgent({ lookup, keepAlive: false }));
  }

  refreshGrant(refreshToken: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this._oauth2.getOAuthAccessToken(refreshToken, { grant_type: 'refresh_token' }, (error, access, refresh, results) => {
        if (error) return reject(this.grantError(error));
        resolve({ ...(results as Record<string, unknown> | undefined), access_token: access, refresh_token: refresh });
      });
    });
  }

  grantError(error: { statusCode?: number; data?: unknown } | Error): Error {
    if (error instanceof Error) return new OAuthUnavailableError(`the token endpoint could not be reached (${error.message})`);
    const status = error.statusCode ?? null;
    try {
      const parsed = this.parseErrorResponse(String(error.data ?? ''), status ?? 0) as (Error & { code?: string }) | null;
      if (parsed) return new OAuthGrantError(parsed.code ?? 'invalid_grant', parsed.message || parsed.code || 'refused', status);
    } catch {
      // not JSON: fall through
    }
    return new OAuthUnavailableError(`the token endpoint answered ${status ?? 'without a status'}`);
  }
}

/** Runs one passport strategy step outside a middleware chain and reports what it decided. */
function run(strategy: OAuth2Strategy, req: Partial<Request>, options: Record<string, unknown>): Promise<Outcome> {
  return new Promise((resolve) => {
    const step = Object.create(strategy) as OAuth2Strategy & {
      success: (user: unknown) => void;
      fail: (challenge: unknown) => void;
      redirect: (url: string) => void;
      error: (error: unknown) => void;
      pass: () => void;
    };
    step.success = (user) => resolve({ kind: 'success', user });
    step.fail = (challenge) => resolve({ kind: 'fail', challenge });
    step.redirect = (url) => resolve({ kind: 'redirect', url });
    step.error = (error) => resolve({ kind: 'error', error });
    step.pass = () => resolve({ kind: 'fail', challenge: { message: 'nothing to do' } });
    step.authenticate(req as Request, options);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OAuthUnavailableError(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One OAuth application (client) of one provider, through passport-oauth2: the authorization URL
 * (with state and a PKCE S256 challenge where the provider supports it), the code exchange (with
 * the matching verifier) and the refresh grant. Tokens never appear in errors.
 */
export class OAuthClient {
  private readonly timeoutMs: number;

  constructor(private readonly settings: OAuthClientSettings) {
    this.timeoutMs = settings.timeoutMs ?? 30_000;
  }

  get endpoints(): OAuthEndpoints {
    return this.settings.endpoints;
  }

  /** The consent URL for `state`, and the PKCE verifier to keep for the exchange (null: no PKCE). */
  async authorizationRequest(state: string): Promise<{ url: string; codeVerifier: string | null }> {
    const store = new HandedStateStore(state, null);
    const outcome = await run(new ProviderOAuthStrategy(this.settings, store), { query: {}, body: {}, headers: {} }, {});
    if (outcome.kind !== 'redirect') throw new OAuthUnavailableError(`could not build the authorization URL (${describe(outcome)})`);
    return { url: outcome.url, codeVerifier: store.verifier };
  }

  /**
   * The provider sent the browser back with `code` (or `error`): exchanges the code, sending the
   * verifier kept for this state.
   */
  async exchangeCode(callback: { state: string; code?: string; error?: string; errorDescription?: string }, codeVerifier: string | null): Promise<TokenSet> {
    if (callback.error) {
      throw new OAuthGrantError(callback.error, callback.errorDescription || (callback.error === 'access_denied' ? 'access was denied on the consent page' : callback.error));
    }
    if (!callback.code) throw new OAuthGrantError('invalid_request', 'the provider sent neither a code nor an error');
    await this.checkTokenEndpoint();
    const strategy = new ProviderOAuthStrategy(this.settings, new HandedStateStore(callback.state, codeVerifier));
    const outcome = await withTimeout(run(strategy, { query: { code: callback.code, state: callback.state }, body: {}, headers: {} }, {}), this.timeoutMs, 'the token endpoint');
    if (outcome.kind === 'success') return tokenSetFrom((outcome.user as { params: Record<string, unknown> }).params, Date.now());
    if (outcome.kind === 'error') {
      const error = outcome.error as Error & { code?: string; status?: number; oauthError?: { statusCode?: number; data?: unknown } };
      if (error.name === 'TokenError') throw new OAuthGrantError(error.code ?? 'invalid_grant', error.message || 'the provider refused the code', error.status ?? null);
      if (error.name === 'InternalOAuthError' && error.oauthError) throw strategy.grantError(error.oauthError);
      // GitHub answers 200 with an error body: passport then only knows that no token came back
      throw new OAuthGrantError('invalid_grant', 'the provider did not exchange the code (it is expired, already used, or the PKCE verifier does not match)');
    }
    throw new OAuthGrantError('invalid_request', describe(outcome));
  }

  /** A new token set from a refresh token; rotating providers send a new refresh token too. */
  async refresh(refreshToken: string): Promise<TokenSet> {
    await this.checkTokenEndpoint();
    const strategy = new ProviderOAuthStrategy(this.settings, new HandedStateStore('', null));
    const params = await withTimeout(strategy.refreshGrant(refreshToken), this.timeoutMs, 'the token endpoint');
    if (typeof params['access_token'] !== 'string') {
      const code = typeof params['error'] === 'string' ? params['error'] : 'invalid_grant';
      const description = typeof params['error_description'] === 'string' ? params['error_description'] : 'the provider did not refresh the token';
      throw new OAuthGrantError(code, description);
    }
    return tokenSetFrom(params, Date.now());
  }

  private async checkTokenEndpoint(): Promise<void> {
    try {
      await checkBaseUrl(new URL(this.settings.endpoints.tokenUrl).origin, this.settings.egress);
    } catch (error) {
      if (error instanceof EgressBlockedError) throw new OAuthUnavailableError(`the token endpoint is not allowed: ${error.message}`);
      throw error;
    }
  }
}

function describe(outcome: Outcome): string {
  if (outcome.kind === 'fail') return (outcome.challenge as { message?: string } | undefined)?.message ?? 'refused';
  if (outcome.kind === 'error') return outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  return outcome.kind;
}
