import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An OAuth application registered with a simulated provider. */
export interface SimOAuthClient {
  clientId: string;
  clientSecret: string;
  /** shown on the consent page */
  name: string;
  /** exact redirect URIs the application registered; empty: any (the simulator is lenient then) */
  redirectUris: string[];
  /** Bitbucket Cloud consumers carry their permissions; elsewhere the request's `scope` decides */
  scopes?: string[];
}

/** Lifetimes of what a provider's token endpoint issues, in real seconds (null: never expires). */
export interface OAuthLifetimes {
  accessTokenSeconds: number | null;
  refreshTokenSeconds: number | null;
}

/** What a simulated provider does differently. */
export interface OAuthProviderRules extends OAuthLifetimes {
  /** whether the provider understands PKCE (S256 and plain) */
  pkce: boolean;
  /** whether a refresh answers with a new refresh token and kills the old one */
  rotateRefreshTokens: boolean;
}

export interface OAuthStats {
  /** codes handed out on the consent page */
  authorizations: number;
  /** codes exchanged for tokens */
  exchanges: number;
  /** code exchanges refused (bad, used or expired code, wrong client, missing or wrong PKCE verifier) */
  refusedExchanges: number;
  refreshes: number;
  /** refresh grants refused (unknown, rotated-out or expired refresh token) */
  refusedRefreshes: number;
}

/** The authorize request as the consent page received it. */
export interface AuthorizeRequest {
  client: SimOAuthClient;
  redirectUri: string;
  state: string | null;
  scopes: string[];
  challenge: { value: string; method: 'S256' | 'plain' } | null;
}

/** The account a grant was made for, in the provider's terms (a user id). */
export interface GrantSubject {
  userId: number;
  login: string;
}

export type TokenAnswer =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; status: number; error: string; description: string };

interface PendingCode {
  request: AuthorizeRequest;
  subject: GrantSubject;
  expiresAtMs: number;
  used: boolean;
}

interface RefreshGrant {
  clientId: string;
  subject: GrantSubject;
  scopes: string[];
  expiresAtMs: number | null;
  active: boolean;
}

/** Issues provider-native access tokens for a subject and registers them with the provider's API. */
export interface TokenMinter {
  issueAccessToken(subject: GrantSubject, scopes: string[], client: SimOAuthClient, expiresAtMs: number | null): string;
  newRefreshToken(): string;
}

const CODE_SECONDS = 600;

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The provider-neutral part of a simulated OAuth 2 authorization server: registered clients, codes
 * (single use, ten minutes, bound to client and redirect URI, PKCE-checked), refresh grants that
 * rotate, and counters tests read. Providers add their pages and wire formats around it.
 */
export class OAuthAuthorizationServer {
  private readonly clients = new Map<string, SimOAuthClient>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshGrants = new Map<string, RefreshGrant>();
  private counters: OAuthStats = { authorizations: 0, exchanges: 0, refusedExchanges: 0, refreshes: 0, refusedRefreshes: 0 };
  /** every access and refresh token handed out (tests look for them where they must not be) */
  private readonly issued: string[] = [];

  constructor(private rules: OAuthProviderRules, private readonly minter: TokenMinter) {}

  registerClient(client: SimOAuthClient): void {
    this.clients.set(client.clientId, { ...client, redirectUris: [...client.redirectUris] });
  }

  client(clientId: string): SimOAuthClient | undefined {
    return this.clients.get(clientId);
  }

  configure(lifetimes: Partial<OAuthLifetimes>): void {
    this.rules = { ...this.rules, ...lifetimes };
  }

  get lifetimes(): OAuthLifetimes {
    return { accessTokenSeconds: this.rules.accessTokenSeconds, refreshTokenSeconds: this.rules.refreshTokenSeconds };
  }

  get supportsPkce(): boolean {
    return this.rules.pkce;
  }

  stats(): OAuthStats {
    return { ...this.counters };
  }

  issuedTokens(): string[] {
    return [...this.issued];
  }

  resetStats(): void {
    this.counters = { authorizations: 0, exchanges: 0, refusedExchanges: 0, refreshes: 0, refusedRefreshes: 0 };
  }

  /** Checks the authorize request's parameters; a refusal is shown on the page (never redirected to an unchecked URI). */
  parseAuthorize(params: URLSearchParams): { ok: true; request: AuthorizeRequest } | { ok: false; message: string } {
    const client = this.clients.get(params.get('client_id') ?? '');
    if (!client) return { ok: false, message: 'The client_id does not belong to a registered OAuth application.' };
    const redirectUri = params.get('redirect_uri') ?? client.redirectUris[0] ?? '';
    if (!redirectUri) return { ok: false, message: 'No redirect_uri was given and the application registered none.' };
    if (client.redirectUris.length > 0 && !client.redirectUris.includes(redirectUri)) {
      return { ok: false, message: `The redirect_uri is not associated with this application (${redirectUri}).` };
    }
    const responseType = params.get('response_type');
    if (responseType !== null && responseType !== 'code') return { ok: false, message: `Unsupported response_type ${responseType}.` };
    let challenge: AuthorizeRequest['challenge'] = null;
    const value = params.get('code_challenge');
    if (value && this.rules.pkce) {
      const method = params.get('code_challenge_method') ?? 'plain';
      if (method !== 'S256' && method !== 'plain') return { ok: false, message: `Unsupported code_challenge_method ${method}.` };
      challenge = { value, method };
    }
    const scopes = client.scopes ?? (params.get('scope') ?? '').split(/[\s,+]+/).filter(Boolean);
    return { ok: true, request: { client, redirectUri, state: params.get('state'), scopes, challenge } };
  }

  /** The person granted access: a code bound to this request, and where the browser goes. */
  grant(request: AuthorizeRequest, subject: GrantSubject): string {
    const code = randomBytes(20).toString('hex');
    this.codes.set(code, { request, subject, expiresAtMs: Date.now() + CODE_SECONDS * 1000, used: false });
    this.counters.authorizations++;
    return withParams(request.redirectUri, { code, state: request.state });
  }

  /** The person said no. */
  deny(request: AuthorizeRequest): string {
    return withParams(request.redirectUri, { error: 'access_denied', error_description: 'The user has denied your application access.', state: request.state });
  }

  /** `grant_type=authorization_code`: the code once, for its client and redirect URI, with the PKCE verifier. */
  exchange(form: URLSearchParams, client: SimOAuthClient | null): TokenAnswer {
    const refuse = (status: number, error: string, description: string): TokenAnswer => {
      this.counters.refusedExchanges++;
      return { ok: false, status, error, description };
    };
    if (!client) return refuse(401, 'invalid_client', 'Client authentication failed (unknown client or wrong secret).');
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    if (!pending || pending.request.client.clientId !== client.clientId) return refuse(400, 'invalid_grant', 'The code is incorrect or expired.');
    if (pending.used) {
      // a replayed code revokes what it granted (RFC 6749 §4.1.2); here it is simply refused
      return refuse(400, 'invalid_grant', 'The code was already used.');
    }
    if (Date.now() >= pending.expiresAtMs) return refuse(400, 'invalid_grant', 'The code is incorrect or expired.');
    const redirectUri = form.get('redirect_uri');
    if (redirectUri !== null && redirectUri !== pending.request.redirectUri) return refuse(400, 'invalid_grant', 'The redirect_uri does not match the one the code was issued for.');
    const challenge = pending.request.challenge;
    if (challenge) {
      const verifier = form.get('code_verifier');
      if (!verifier) return refuse(400, 'invalid_grant', 'The code_verifier is missing: this code was issued with a PKCE code_challenge.');
      const computed = challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
      if (!sameText(computed, challenge.value)) return refuse(400, 'invalid_grant', 'The code_verifier does not match the code_challenge.');
    }
    pending.used = true;
    this.counters.exchanges++;
    return { ok: true, body: this.issue(client, pending.subject, pending.request.scopes) };
  }

  /** `grant_type=refresh_token`: a new access token; rotating providers also replace the refresh token. */
  refresh(form: URLSearchParams, client: SimOAuthClient | null): TokenAnswer {
    const refuse = (status: number, error: string, description: string): TokenAnswer => {
      this.counters.refusedRefreshes++;
      return { ok: false, status, error, description };
    };
    if (!client) return refuse(401, 'invalid_client', 'Client authentication failed (unknown client or wrong secret).');
    const token = form.get('refresh_token') ?? '';
    const grant = this.refreshGrants.get(token);
    if (!grant || grant.clientId !== client.clientId) return refuse(400, 'invalid_grant', 'The refresh token is invalid.');
    if (!grant.active) return refuse(400, 'invalid_grant', 'The refresh token was already used (refresh tokens rotate: use the newest one).');
    if (grant.expiresAtMs !== null && Date.now() >= grant.expiresAtMs) return refuse(400, 'invalid_grant', 'The refresh token has expired.');
    this.counters.refreshes++;
    if (!this.rules.rotateRefreshTokens) return { ok: true, body: this.accessPart(client, grant.subject, grant.scopes) };
    grant.active = false;
    return { ok: true, body: this.issue(client, grant.subject, grant.scopes) };
  }

  /** Client authentication: form fields or HTTP Basic, secrets compared in constant time. */
  authenticateClient(form: URLSearchParams, authorization: string | undefined): SimOAuthClient | null {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (basic) {
      const decoded = Buffer.from(basic, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        id = decodeURIComponent(decoded.slice(0, colon));
        secret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const client = id ? this.clients.get(id) : undefined;
    return client && secret !== null && sameText(secret, client.clientSecret) ? client : null;
  }

  private issue(client: SimOAuthClient, subject: GrantSubject, scopes: string[]): Record<string, unknown> {
    const body = this.accessPart(client, subject, scopes);
    const refreshToken = this.minter.newRefreshToken();
    this.issued.push(refreshToken);
    const refreshSeconds = this.rules.refreshTokenSeconds;
    this.refreshGrants.set(refreshToken, {
      clientId: client.clientId, subject, scopes, active: true, expiresAtMs: refreshSeconds === null ? null : Date.now() + refreshSeconds * 1000,
    });
    return { ...body, refresh_token: refreshToken, ...(refreshSeconds === null ? {} : { refresh_token_expires_in: refreshSeconds }) };
  }

  private accessPart(client: SimOAuthClient, subject: GrantSubject, scopes: string[]): Record<string, unknown> {
    const seconds = this.rules.accessTokenSeconds;
    const accessToken = this.minter.issueAccessToken(subject, scopes, client, seconds === null ? null : Date.now() + seconds * 1000);
    this.issued.push(accessToken);
    return {
      access_token: accessToken,
      token_type: 'bearer',
      scope: scopes.join(' '),
      created_at: Math.floor(Date.now() / 1000),
      ...(seconds === null ? {} : { expires_in: seconds }),
    };
  }
}

/** Adds query parameters to a redirect URI (keeping its own). */
export function withParams(uri: string, params: Record<string, string | null>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  return url.toString();
}
