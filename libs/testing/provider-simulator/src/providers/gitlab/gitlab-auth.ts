import type { IncomingMessage } from 'node:http';
import { headerValue, type HeaderMap } from '../../core/http-io';
import type { GitlabViewer } from './gitlab-access';
import { gitlabAnonymousIdentity, gitlabUserIdentity, type GitlabToken, type GitlabWorld } from './gitlab-model';

export type GitlabAuthentication = { ok: true; viewer: GitlabViewer } | { ok: false; body: unknown; headers: HeaderMap };

const UNAUTHORIZED = { message: '401 Unauthorized' };

/** Access tokens stop working at 00:00 UTC of their expiry date; OAuth tokens at their instant. */
export function tokenExpired(token: GitlabToken, nowMs: number): boolean {
  if (token.oauthExpiresAtMs !== null) return nowMs >= token.oauthExpiresAtMs;
  return token.expiresAt !== null && Date.parse(`${token.expiresAt}T00:00:00Z`) <= nowMs;
}

function invalidToken(description: string): { ok: false; body: unknown; headers: HeaderMap } {
  return {
    ok: false,
    body: { error: 'invalid_token', error_description: description },
    headers: { 'www-authenticate': `Bearer realm="Protected by OAuth 2", error="invalid_token", error_description="${description}"` },
  };
}

function viewerOf(gl: GitlabWorld, token: GitlabToken): GitlabViewer | undefined {
  const user = gl.user(token.userId);
  return user ? { kind: 'user', identity: gitlabUserIdentity(user), user, token } : undefined;
}

function checked(gl: GitlabWorld, token: GitlabToken | undefined, nowMs: number): GitlabAuthentication {
  if (!token) return { ok: false, body: UNAUTHORIZED, headers: {} };
  if (token.revoked) return invalidToken('Token has been revoked.');
  if (tokenExpired(token, nowMs)) return invalidToken('Token has expired.');
  const viewer = viewerOf(gl, token);
  return viewer ? { ok: true, viewer } : { ok: false, body: UNAUTHORIZED, headers: {} };
}

/**
 * The REST API's ways to pass a token: `Authorization: Bearer` (every kind), `PRIVATE-TOKEN` or
 * `?private_token=` (access tokens only), `?access_token=` (OAuth style). None: anonymous.
 */
export function authenticateApi(gl: GitlabWorld, req: IncomingMessage, url: URL, ip: string, nowMs: number): GitlabAuthentication {
  const authorization = headerValue(req, 'authorization')?.trim();
  const privateToken = headerValue(req, 'private-token')?.trim() ?? url.searchParams.get('private_token') ?? undefined;
  const accessToken = url.searchParams.get('access_token') ?? undefined;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    return checked(gl, match ? gl.token(match[1]) : undefined, nowMs);
  }
  if (privateToken) {
    const token = gl.token(privateToken);
    return checked(gl, token?.kind === 'oauth' ? undefined : token, nowMs);
  }
  if (accessToken) return checked(gl, gl.token(accessToken), nowMs);
  return { ok: true, viewer: { kind: 'anonymous', identity: gitlabAnonymousIdentity(ip), ip } };
}

/**
 * Git over HTTPS: Basic auth with an access token as the password and any username, or an OAuth
 * token with the username `oauth2` (GitLab refuses OAuth tokens under any other name).
 */
export function authenticateGit(gl: GitlabWorld, authorization: string | undefined, ip: string, nowMs: number): GitlabAuthentication {
  if (!authorization || authorization.trim() === '') return { ok: true, viewer: { kind: 'anonymous', identity: gitlabAnonymousIdentity(ip), ip } };
  const match = /^Basic\s+(\S+)$/i.exec(authorization.trim());
  if (!match) return { ok: false, body: UNAUTHORIZED, headers: {} };
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { ok: false, body: UNAUTHORIZED, headers: {} };
  const username = decoded.slice(0, colon);
  const token = gl.token(decoded.slice(colon + 1));
  if (!token || username === '' || (token.kind === 'oauth' && username !== 'oauth2')) return { ok: false, body: UNAUTHORIZED, headers: {} };
  return checked(gl, token, nowMs);
}
