import { secretScrubber } from '@repovault/platform/logging';
import { UnsafeRemoteError } from './git-errors';

/** Anything that removes secrets from text; the process-wide scrubber of the logging lib by default. */
export interface TextScrubber {
  scrub(text: string): string;
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@'"]+@/gi;
const SECRET_QUERY = /([?&](?:access_token|private_token|token|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token)=)[^&\s'"]+/gi;

/**
 * Scrubs text that came out of git or an HTTP exchange: registered secrets and token patterns (the
 * shared scrubber), then anything shaped like URL credentials (`scheme://user[:pass]@`) or a signed
 * query parameter.
 */
export function scrubText(text: string, scrubber: TextScrubber = secretScrubber): string {
  return scrubber.scrub(text).replace(URL_USERINFO, '$1[redacted]@').replace(SECRET_QUERY, '$1[redacted]');
}

/**
 * Checks a remote URL before git or fetch sees it: http(s) only, no user info, no query or fragment
 * (credentials are added by the egress proxy per request, never carried by the URL). The message
 * never repeats the URL, which may be exactly what must not be logged.
 */
export function assertSafeRemoteUrl(remoteUrl: string): URL {
  let url: URL;
  try {
    url = new URL(remoteUrl);
  } catch {
    throw new UnsafeRemoteError('remote URL is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeRemoteError(`remote URL scheme ${url.protocol} is not allowed (http or https only)`);
  if (url.username !== '' || url.password !== '') throw new UnsafeRemoteError('remote URL must not carry credentials; the egress proxy adds them per request');
  if (url.search !== '' || url.hash !== '') throw new UnsafeRemoteError('remote URL must not carry a query or fragment');
  return url;
}
