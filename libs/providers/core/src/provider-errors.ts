/** The provider refused the credential itself (HTTP 401): revoked, expired or mistyped. */
export class CredentialRejectedError extends Error {
  constructor(message = 'the provider rejected the credential (it is revoked, expired or mistyped)') {
    super(message);
    this.name = 'CredentialRejectedError';
  }
}

/** The object does not exist or this credential may not see it (providers answer 404 for both). */
export class UpstreamNotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found, or the credential cannot see it`);
    this.name = 'UpstreamNotFoundError';
  }
}

/** The provider throttled the call (403/429 rate limit). */
export class UpstreamRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number | null, message = 'the provider rate-limited the request') {
    super(message);
    this.name = 'UpstreamRateLimitedError';
  }
}

/** The provider could not be reached or answered 5xx. */
export class UpstreamUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UpstreamUnavailableError';
  }
}

/** The target address is not allowed (SSRF protection). */
export class EgressBlockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressBlockedError';
  }
}
