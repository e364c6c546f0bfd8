import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Provider } from '@repovault/contracts/internal-api';
import { ProblemException } from '@repovault/platform/http';
import { OAuthGrantError, type TokenSet, renewalTime } from '@repovault/providers/oauth';
import { type EntityManager, In, type Repository } from 'typeorm';
import { VaultService } from '../vault/vault.service';
import { OAuthClients } from './oauth-clients';
import { OAuthTokenEntity } from './oauth-token.entity';

/** An access token as handed out: valid now, and when to ask again. */
export interface CurrentToken {
  accessToken: string;
  expiresAt: Date | null;
  renewAt: Date | null;
}

/** The grant cannot be refreshed any more (revoked, expired, or the provider sent no refresh token). */
export class GrantRevokedError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'GrantRevokedError';
  }
}

function dateOf(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/**
 * The live tokens of OAuth credentials, sealed by the vault, refreshed before they expire. A
 * refresh holds the row's lock: a concurrent refresher waits, then finds a fresh token and uses it,
 * so a rotating refresh token is spent exactly once and its successor stored back atomically.
 */
@Injectable()
export class OAuthTokensService {
  constructor(
    @InjectRepository(OAuthTokenEntity) private readonly tokens: Repository<OAuthTokenEntity>,
    private readonly vault: VaultService,
    private readonly clients: OAuthClients,
  ) {}

  async store(manager: EntityManager, tenantId: string, credentialId: string, grant: { provider: Provider; apiBaseUrl: string; oauthAppId: string | null }, tokens: TokenSet): Promise<void> {
    const renewAt = renewalTime(tokens.issuedAt, tokens.expiresAt);
    await manager.getRepository(OAuthTokenEntity).save({
      id: credentialId,
      tenantId,
      provider: grant.provider,
      apiBaseUrl: grant.apiBaseUrl,
      oauthAppId: grant.oauthAppId,
      ...this.vault.seal(tenantId, credentialId, JSON.stringify(tokens)),
      expiresAt: dateOf(tokens.expiresAt),
      renewAt: dateOf(renewAt),
      refreshCount: 0,
      refreshedAt: null,
    });
  }

  /** The access token to use now: refreshed first when it is due. */
  async current(tenantId: string, credentialId: string): Promise<CurrentToken> {
    const row = await this.tokens.findOneBy({ id: credentialId, tenantId });
    if (!row) throw ProblemException.notFound('OAuth token');
    if (row.renewAt && Date.now() >= row.renewAt.getTime()) return this.refresh(tenantId, credentialId);
    return { accessToken: this.open(row).accessToken, expiresAt: row.expiresAt, renewAt: row.renewAt };
  }

  /** Refreshes under the row lock unless another refresher already did. */
  async refresh(tenantId: string, credentialId: string, force = false): Promise<CurrentToken> {
    return this.tokens.manager.transaction(async (manager) => {
      const repository = manager.getRepository(OAuthTokenEntity);
      const row = await repository.findOne({ where: { id: credentialId, tenantId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw ProblemException.notFound('OAuth token');
      const held = this.open(row);
      const due = force || (row.renewAt !== null && Date.now() >= row.renewAt.getTime());
      if (!due) return { accessToken: held.accessToken, expiresAt: row.expiresAt, renewAt: row.renewAt };
      if (!held.refreshToken) {
        if (held.expiresAt !== null && Date.now() >= held.expiresAt) throw new GrantRevokedError('the OAuth access token expired and the provider gave no refresh token; authorize again');
        return { accessToken: held.accessToken, expiresAt: row.expiresAt, renewAt: row.renewAt };
      }
      const { client } = await this.clients.client({ tenantId, provider: row.provider, apiBaseUrl: row.apiBaseUrl, oauthAppId: row.oauthAppId });
      let fresh: TokenSet;
      try {
        fresh = await client.refresh(held.refreshToken);
      } catch (error) {
        if (error instanceof OAuthGrantError) throw new GrantRevokedError(`the provider refused to refresh the OAuth grant (${error.code}: ${error.message}); authorize again`);
        throw error;
      }
      // providers that do not rotate keep the refresh token they gave first
      const next: TokenSet = { ...fresh, refreshToken: fresh.refreshToken ?? held.refreshToken, refreshTokenExpiresAt: fresh.refreshTokenExpiresAt ?? held.refreshTokenExpiresAt };
      const renewAt = dateOf(renewalTime(next.issuedAt, next.expiresAt));
      await repository.update({ id: credentialId }, {
        ...this.vault.seal(tenantId, credentialId, JSON.stringify(next)),
        expiresAt: dateOf(next.expiresAt),
        renewAt,
        refreshCount: row.refreshCount + 1,
        refreshedAt: new Date(),
      });
      return { accessToken: next.accessToken, expiresAt: dateOf(next.expiresAt), renewAt };
    });
  }

  async discard(tenantId: string, credentialIds: string[]): Promise<void> {
    if (credentialIds.length > 0) await this.tokens.delete({ tenantId, id: In(credentialIds) });
  }

  /** Which application the grant belongs to (for its refreshes and its budget identity). */
  async grantOf(tenantId: string, credentialId: string): Promise<{ oauthAppId: string | null }> {
    const row = await this.tokens.findOneBy({ id: credentialId, tenantId });
    if (!row) throw ProblemException.notFound('OAuth token');
    return { oauthAppId: row.oauthAppId };
  }

  private open(row: OAuthTokenEntity): TokenSet {
    return JSON.parse(this.vault.open(row)) as TokenSet;
  }
}
