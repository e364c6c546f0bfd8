import type { SimUser } from '../../core/world/world-model';
import type { BitbucketDcCredential, BitbucketDcDirectory, BitbucketDcServiceUser } from './bitbucket-dc-directory';

/** Who a request runs as: a user (personal token) or a token's service user (project and repository tokens). */
export type BitbucketDcViewer =
  | { kind: 'user'; identity: string; credential: BitbucketDcCredential; user: SimUser }
  | { kind: 'service'; identity: string; credential: BitbucketDcCredential; serviceUser: BitbucketDcServiceUser };

export type BitbucketDcAuthentication = { ok: true; viewer: BitbucketDcViewer } | { ok: false; anonymous: boolean };

/**
 * HTTP access tokens as Data Center takes them: `Authorization: Bearer <token>` for every kind, and
 * personal tokens also as the password of their user (Basic `<slug>:<token>`). Project and
 * repository tokens work only as Bearer: a Basic attempt with them fails, for REST and git alike.
 */
export function authenticate(directory: BitbucketDcDirectory, header: string | undefined): BitbucketDcAuthentication {
  if (header === undefined || header.trim() === '') return { ok: false, anonymous: true };
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const scheme = space < 0 ? '' : trimmed.slice(0, space).toLowerCase();
  const value = space < 0 ? '' : trimmed.slice(space + 1).trim();
  let credential: BitbucketDcCredential | undefined;
  if (scheme === 'bearer') {
    credential = directory.credentialByValue(value);
  } else if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const candidate = colon < 0 ? undefined : directory.credentialByValue(decoded.slice(colon + 1));
    const user = candidate ? directory.userOf(candidate) : undefined;
    if (candidate?.kind === 'personal' && user && decoded.slice(0, colon).toLowerCase() === user.login.toLowerCase()) credential = candidate;
  }
  if (!credential) return { ok: false, anonymous: false };
  if (credential.expiresAtMs !== undefined && Date.now() >= credential.expiresAtMs) return { ok: false, anonymous: false };
  const identity = directory.identityOf(credential);
  if (credential.serviceUser) return { ok: true, viewer: { kind: 'service', identity, credential, serviceUser: credential.serviceUser } };
  const user = directory.userOf(credential);
  return user ? { ok: true, viewer: { kind: 'user', identity, credential, user } } : { ok: false, anonymous: false };
}

/** `X-AUSERNAME` / `X-AUSERID`: who Data Center says the caller is. */
export function whoHeaders(viewer: BitbucketDcViewer): Record<string, string> {
  return viewer.kind === 'user'
    ? { 'x-ausername': viewer.user.login, 'x-auserid': String(viewer.user.id) }
    : { 'x-ausername': viewer.serviceUser.name, 'x-auserid': String(viewer.serviceUser.id) };
}
