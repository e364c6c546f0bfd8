import { randomBytes } from 'node:crypto';

export type LfsOperation = 'download' | 'upload';

interface Grant {
  identity: string;
  repositoryId: number;
  operation: LfsOperation;
  expiresAtMs: number;
}

/**
 * Short-lived credentials placed in `actions.*.header.Authorization` of batch responses, so
 * transfers are attributed to the identity that asked without echoing its token back.
 */
export class LfsActionTokens {
  private readonly grants = new Map<string, Grant>();

  mint(identity: string, repositoryId: number, operation: LfsOperation, nowMs: number, ttlMs: number): string {
    this.prune(nowMs);
    const token = `lfs_${randomBytes(20).toString('hex')}`;
    this.grants.set(token, { identity, repositoryId, operation, expiresAtMs: nowMs + ttlMs });
    return token;
  }

  /** The identity a transfer belongs to, or undefined when the token is unknown, expired or for something else. */
  verify(token: string, repositoryId: number, operation: LfsOperation, nowMs: number): string | undefined {
    const grant = this.grants.get(token);
    if (!grant || grant.expiresAtMs <= nowMs || grant.repositoryId !== repositoryId || grant.operation !== operation) return undefined;
    return grant.identity;
  }

  private prune(nowMs: number): void {
    if (this.grants.size < 10_000) return;
    for (const [token, grant] of this.grants) if (grant.expiresAtMs <= nowMs) this.grants.delete(token);
  }
}
