/**
 * Removes secrets from strings before they are logged, put in an error or a span. Two layers:
 * values registered at run time (every secret a process decrypts or receives), in plain,
 * URL-encoded and base64 forms; and patterns of credentials that were never registered.
 */
const REDACTED = '[redacted]';

const PATTERNS: readonly RegExp[] = [
  /\b(gh[pousr]_[A-Za-z0-9]{20,255})\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,255}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab personal/project/group access tokens
  /\bgl(oas|rt|soat|dt|ptt|cbt|imt)-[A-Za-z0-9_-]{16,}\b/g, // other GitLab token kinds
  /\bATATT[A-Za-z0-9_=-]{20,}\b/g, // Atlassian API tokens
  /\bBBDC-[A-Za-z0-9+/_=-]{20,}\b/g, // Bitbucket DC HTTP access tokens
  /\b(Basic|Bearer|token|RemoteAuth)\s+[A-Za-z0-9._~+/=-]{8,}/gi, // Authorization header values
  /(?<=:\/\/)[^\s/@:]+:[^\s/@]+(?=@)/g, // user:password@ in URLs
];

export class SecretScrubber {
  private readonly values = new Set<string>();

  /** Registers a secret so every later log line or error is scrubbed of it. */
  register(secret: string): void {
    if (secret.length < 6) return; // too short to scrub without mangling ordinary text
    for (const form of secretForms(secret)) this.values.add(form);
  }

  scrub(text: string): string {
    let out = text;
    for (const value of this.values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
    for (const pattern of PATTERNS) {
      out = out.replace(pattern, (match, ...groups) => {
        const scheme = groups[0];
        return typeof scheme === 'string' && /^(basic|bearer|token|remoteauth)$/i.test(scheme) ? `${scheme} ${REDACTED}` : REDACTED;
      });
    }
    return out;
  }

  /** Deep copy with every string scrubbed. */
  scrubValue(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.scrub(value);
    if (depth > 8 || value === null || typeof value !== 'object') return value;
    if (value instanceof Error) {
      return { type: value.name, message: this.scrub(value.message), stack: value.stack ? this.scrub(value.stack) : undefined };
    }
    if (Array.isArray(value)) return value.map((v) => this.scrubValue(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = SENSITIVE_KEY.test(key) ? REDACTED : this.scrubValue(v, depth + 1);
    return out;
  }
}

/** Keys whose values are never logged, whatever they hold. */
export const SENSITIVE_KEY = /^(authorization|proxy-authorization|cookie|set-cookie|password|passphrase|secret|token|access_?token|refresh_?token|client_?secret|private_?key|api_?key|key|value|x-admin-token)$/i;

/** Plain, URL-encoded and base64 (`user:secret`) forms, as a secret may appear in headers or URLs. */
export function secretForms(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret)]);
  // base64 of "user:secret": the characters encoding the secret's bytes from the first 3-byte block
  // boundary on depend only on (len(user)+1) mod 3, so three alignments catch a Basic header for any user
  for (let prefixLength = 1; prefixLength <= 3; prefixLength++) {
    const encoded = Buffer.from('x'.repeat(prefixLength - 1) + ':' + secret).toString('base64');
    const tail = encoded.slice(Math.ceil(prefixLength / 3) * 4).replace(/=+$/, '');
    if (tail.length >= 8) forms.add(tail);
  }
  forms.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
  return [...forms];
}

/** One scrubber per process: every logger and error formatter shares it. */
export const secretScrubber = new SecretScrubber();
