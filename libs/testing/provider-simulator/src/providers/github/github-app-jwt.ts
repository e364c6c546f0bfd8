import { type KeyObject, verify } from 'node:crypto';

export type JwtVerdict = { ok: true; issuer: string } | { ok: false; message: string };

/** GitHub refuses app JWTs that live longer than this. */
const MAX_LIFETIME_SECONDS = 600;
/** Clock drift GitHub tolerates on `iat`. */
const SKEW_SECONDS = 60;

function part(text: string | undefined): Record<string, unknown> | null {
  if (!text) return null;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Checks a GitHub App's JWT as GitHub does: RS256 signed with the app's private key (verified with
 * its public key), `iss` the app, `iat` not in the future, `exp` after now and at most ten minutes
 * after `iat`. `publicKeyOf` answers the key of the app an `iss` names.
 */
export function verifyAppJwt(token: string, publicKeyOf: (issuer: string) => KeyObject | undefined, nowSeconds: number): JwtVerdict {
  const pieces = token.split('.');
  const [headerText, payloadText, signatureText] = pieces;
  const header = part(headerText);
  const payload = part(payloadText);
  if (pieces.length !== 3 || !header || !payload || !signatureText) return { ok: false, message: 'A JSON web token could not be decoded' };
  if (header['alg'] !== 'RS256') return { ok: false, message: "'alg' must be RS256" };
  const issuer = payload['iss'];
  if ((typeof issuer !== 'string' && typeof issuer !== 'number') || String(issuer) === '') return { ok: false, message: "'Issuer' claim ('iss') must be an Integer" };
  const key = publicKeyOf(String(issuer));
  if (!key) return { ok: false, message: 'Integration not found' };
  const signed = verify('RSA-SHA256', Buffer.from(`${headerText}.${payloadText}`), key, Buffer.from(signatureText, 'base64url'));
  if (!signed) return { ok: false, message: 'A JSON web token could not be decoded' };
  const iat = payload['iat'];
  const exp = payload['exp'];
  if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > nowSeconds + SKEW_SECONDS) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
  }
  if (typeof exp !== 'number' || exp <= nowSeconds) {
    return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" };
  }
  if (exp - iat > MAX_LIFETIME_SECONDS) return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  return { ok: true, issuer: String(issuer) };
}
