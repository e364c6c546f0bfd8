import type { World } from '../../core/world/world';
import type { SimCredential, SimUser } from '../../core/world/world-model';

export type GithubViewer =
  | { kind: 'user'; identity: string; user: SimUser; credential: SimCredential }
  | { kind: 'anonymous'; identity: string; ip: string };

export type GithubAuthentication = { ok: true; viewer: GithubViewer } | { ok: false };

/** Budgets and stats belong to the user behind a token, never to the token itself. */
export function userIdentity(user: SimUser): string {
  return `github:user:${user.id}`;
}

export function installationIdentity(installationId: number): string {
  return `github:installation:${installationId}`;
}

export function anonymousIdentity(ip: string): string {
  return `github:ip:${ip}`;
}

/**
 * Resolves an `Authorization` header the way GitHub does for the REST API (`token X`, `Bearer X`)
 * and for git/LFS (Basic with the token as password and any username, `x-access-token` included, or
 * the token as username with an empty or `x-oauth-basic` password). No header: anonymous.
 */
export function authenticate(world: World, authorization: string | undefined, ip: string): GithubAuthentication {
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: true, viewer: { kind: 'anonymous', identity: anonymousIdentity(ip), ip } };
  }
  const token = tokenFromHeader(authorization.trim());
  const credential = token === undefined ? undefined : world.credentialByValue(token);
  const user = credential ? (credential.actor ?? world.userById(credential.userId)) : undefined;
  if (!credential || !user) return { ok: false };
  if (credential.expiresAtMs !== undefined && Date.now() >= credential.expiresAtMs) return { ok: false };
  // an installation token's budget is its installation's, not its bot's
  const identity = credential.installation ? installationIdentity(credential.installation.installationId) : userIdentity(user);
  return { ok: true, viewer: { kind: 'user', identity, user, credential } };
}

function tokenFromHeader(header: string): string | undefined {
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'token' || scheme === 'bearer') return value || undefined;
  if (scheme !== 'basic') return undefined;
  let decoded: string;
  try {
    decoded = Buffer.from(value, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (password === '' || password === 'x-oauth-basic') return username || undefined;
  return password;
}
