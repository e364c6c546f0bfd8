import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { type ConsentProvider, handleAuthorize, handleToken } from '../../core/oauth/consent-flow';
import { OAuthAuthorizationServer, type OAuthLifetimes } from '../../core/oauth/oauth-authorization-server';
import type { World } from '../../core/world/world';
import type { BitbucketDcDirectory } from './bitbucket-dc-directory';
import type { BitbucketDcPermission } from './bitbucket-dc-seed';

/** Data Center's OAuth scopes and the token permissions they stand for. */
const SCOPE_PERMISSIONS: Record<string, BitbucketDcPermission[]> = {
  PUBLIC_REPOS: [],
  REPO_READ: ['PROJECT_READ', 'REPO_READ'],
  REPO_WRITE: ['PROJECT_READ', 'REPO_READ', 'REPO_WRITE'],
  REPO_ADMIN: ['PROJECT_READ', 'REPO_READ', 'REPO_WRITE', 'REPO_ADMIN'],
  PROJECT_ADMIN: ['PROJECT_READ', 'REPO_READ', 'REPO_WRITE', 'REPO_ADMIN', 'PROJECT_ADMIN'],
};

/**
 * Data Center's incoming OAuth 2 (an application link): `/rest/oauth2/latest/authorize` (consent
 * page, PKCE S256) and `/rest/oauth2/latest/token` (JSON, rotating refresh tokens). An access
 * token acts as the consenting user (`Bearer`, REST and git), within the granted scopes, until it
 * expires.
 */
export class BitbucketDcOAuthRoutes {
  readonly server: OAuthAuthorizationServer;
  private readonly consent: ConsentProvider;

  constructor(private readonly world: World, private readonly directory: BitbucketDcDirectory, lifetimes: Partial<OAuthLifetimes> = {}) {
    this.server = new OAuthAuthorizationServer(
      { pkce: true, rotateRefreshTokens: true, accessTokenSeconds: lifetimes.accessTokenSeconds ?? 7200, refreshTokenSeconds: lifetimes.refreshTokenSeconds ?? null },
      {
        issueAccessToken: (subject, scopes, _client, expiresAtMs) => {
          const permissions = [...new Set(scopes.flatMap((s) => SCOPE_PERMISSIONS[s] ?? []))];
          return this.directory.issueOAuthToken(subject.userId, permissions, expiresAtMs);
        },
        newRefreshToken: () => randomBytes(32).toString('base64url'),
      },
    );
    this.consent = {
      displayName: 'Bitbucket Data Center',
      server: this.server,
      findSubject: (login) => {
        const user = this.world.user(login.toLowerCase());
        return user ? { userId: user.id, login: user.login } : undefined;
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === '/rest/oauth2/latest/authorize') {
      await handleAuthorize(req, res, url, this.consent);
      return true;
    }
    if (url.pathname === '/rest/oauth2/latest/token') {
      await handleToken(req, res, this.consent);
      return true;
    }
    return false;
  }
}
