import { randomBytes } from 'node:crypto';

interface Grant {
  repositoryId: number;
  name: string;
  expiresAtMs: number;
}

/** The path download redirects point at (bitbucket.org sends them to a storage host with a signed URL). */
export const DOWNLOAD_MEDIA_PREFIX = '/media/downloads/';

/** Short-lived signed links for download artifacts: whoever holds one may read that file, without credentials. */
export class DownloadLinks {
  private readonly grants = new Map<string, Grant>();

  mint(repositoryId: number, name: string, nowMs: number, ttlMs: number): string {
    if (this.grants.size > 10_000) for (const [token, grant] of this.grants) if (grant.expiresAtMs <= nowMs) this.grants.delete(token);
    const token = randomBytes(20).toString('hex');
    this.grants.set(token, { repositoryId, name, expiresAtMs: nowMs + ttlMs });
    return token;
  }

  resolve(token: string, nowMs: number): { repositoryId: number; name: string } | undefined {
    const grant = this.grants.get(token);
    return grant && grant.expiresAtMs > nowMs ? grant : undefined;
  }
}
