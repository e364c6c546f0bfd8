import type { World } from '../../core/world/world';
import type { SimUser } from '../../core/world/world-model';
import type { BitbucketCloudCredential, BitbucketCloudDirectory } from './bitbucket-cloud-directory';

export type BitbucketCloudViewer =
  | { kind: 'user'; identity: string; user: SimUser; credential: BitbucketCloudCredential }
  | { kind: 'token'; identity: string; credential: BitbucketCloudCredential }
  | { kind: 'anonymous'; identity: string; ip: string };

export type BitbucketCloudAuthentication = { ok: true; viewer: BitbucketCloudViewer } | { ok: false; appPassword: boolean };

/** The username git must send with an API token (or the account's Bitbucket username). */
export const API_TOKEN_GIT_USERNAME = 'x-bitbucket-api-token-auth';
/** The username git must send with a repository, project or workspace access token. */
export const ACCESS_TOKEN_GIT_USERNAME = 'x-token-auth';

export function anonymousIdentity(ip: string): string {
  return `bitbucket-cloud:ip:${ip}`;
}

function parse(header: string): { scheme: 'bearer'; token: string } | { scheme: 'basic'; username: string; password: string } | undefined {
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value ? { scheme: 'bearer', token: value } : undefined;
  if (scheme !== 'basic') return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { scheme: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Resolves an `Authorization` header as bitbucket.org does: for the REST API an API token is Basic
 * with the account EMAIL and an access token is `Bearer`; for git an API token is Basic with
 * `x-bitbucket-api-token-auth` (or the Bitbucket username) and an access token Basic with
 * `x-token-auth` (or `Bearer`). App passwords stopped working on 2026-07-28: always 401.
 */
export function authenticate(world: World, directory: BitbucketCloudDirectory, header: string | undefined, ip: string, channel: 'rest' | 'git'): BitbucketCloudAuthentication {
  if (header === undefined || header.trim() === '') return { ok: true, viewer: { kind: 'anonymous', identity: anonymousIdentity(ip), ip } };
  const parsed = parse(header.trim());
  if (!parsed) return { ok: false, appPassword: false };
  const credential = directory.credentialByValue(parsed.scheme === 'bearer' ? parsed.token : parsed.password);
  if (!credential) return { ok: false, appPassword: false };
  if (credential.type === 'app_password') return { ok: false, appPassword: true };
  if (credential.type === 'oauth') {
    // OAuth tokens: Bearer for REST, Basic x-token-auth (or Bearer) for git, until they expire
    const expired = credential.expiresAtMs !== undefined && Date.now() >= credential.expiresAtMs;
    const accepted = parsed.scheme === 'bearer' || (channel === 'git' && parsed.username === ACCESS_TOKEN_GIT_USERNAME);
    const owner = credential.userId === null ? undefined : world.userById(credential.userId);
    return accepted && !expired && owner ? { ok: true, viewer: { kind: 'user', identity: directory.identityOf(credential), user: owner, credential } } : { ok: false, appPassword: false };
  }

  if (credential.userId === null) {
    const accepted = parsed.scheme === 'bearer' || (channel === 'git' && parsed.username === ACCESS_TOKEN_GIT_USERNAME);
    return accepted ? { ok: true, viewer: { kind: 'token', identity: directory.identityOf(credential), credential } } : { ok: false, appPassword: false };
  }
  const user = world.userById(credential.userId);
  if (!user || parsed.scheme !== 'basic') return { ok: false, appPassword: false };
  const username = parsed.username.toLowerCase();
  const accepted = channel === 'rest' ? username === user.email.toLowerCase() : username === API_TOKEN_GIT_USERNAME || username === user.login.toLowerCase();
  return accepted ? { ok: true, viewer: { kind: 'user', identity: directory.identityOf(credential), user, credential } } : { ok: false, appPassword: false };
}
