/** What a token endpoint granted, with lifetimes turned into instants. */
export interface TokenSet {
  accessToken: string;
  /** null: the provider sent none (the grant cannot be refreshed) */
  refreshToken: string | null;
  /** epoch ms when the access token was issued (as seen here) */
  issuedAt: number;
  /** epoch ms when the access token stops working; null: it does not expire */
  expiresAt: number | null;
  /** epoch ms when the refresh token stops working; null: not said */
  refreshTokenExpiresAt: number | null;
  /** what the provider granted, when it says */
  scopes: string[] | null;
}

function seconds(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/** A token response's fields (`access_token`, `refresh_token`, `expires_in`, `scope`, …). */
export function tokenSetFrom(params: Record<string, unknown>, now: number): TokenSet {
  const accessToken = params['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') throw new Error('the token response has no access_token');
  const refresh = params['refresh_token'];
  const expiresIn = seconds(params['expires_in']);
  const refreshExpiresIn = seconds(params['refresh_token_expires_in']);
  const scope = params['scope'];
  return {
    accessToken,
    refreshToken: typeof refresh === 'string' && refresh !== '' ? refresh : null,
    issuedAt: now,
    expiresAt: expiresIn === null ? null : now + expiresIn * 1000,
    refreshTokenExpiresAt: refreshExpiresIn === null ? null : now + refreshExpiresIn * 1000,
    scopes: typeof scope === 'string' ? scope.split(/[\s,]+/).filter(Boolean) : null,
  };
}

const MAX_MARGIN_MS = 5 * 60_000;

/**
 * When a holder of a short-lived token should get a fresh one: a quarter of its lifetime before it
 * expires, at most five minutes before (an hour-long installation token renews at 55 min, a
 * two-hour GitLab token at 1 h 55 min, a 20-second test token at 15 s). Null: never.
 */
export function renewalTime(issuedAt: number, expiresAt: number | null): number | null {
  if (expiresAt === null) return null;
  const lifetime = Math.max(0, expiresAt - issuedAt);
  return expiresAt - Math.min(MAX_MARGIN_MS, lifetime / 4);
}
