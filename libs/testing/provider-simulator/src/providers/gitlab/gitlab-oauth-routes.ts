import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { type ConsentProvider, handleAuthorize, handleToken } from '../../core/oauth/consent-flow';
import { OAuthAuthorizationServer, type OAuthLifetimes } from '../../core/oauth/oauth-authorization-server';
import type { GitlabWorld } from './gitlab-model';

/**
 * GitLab's OAuth 2 provider (gitlab.com or a self-managed instance): `/oauth/authorize` (the consent
 * page; PKCE S256), `/oauth/token` (JSON; codes and rotating refresh tokens). Access tokens are
 * GitLab OAuth tokens (64 hex, two hours by default) of the consenting user, so they work with the
 * REST API as `Bearer` and with git as `oauth2:<token>`.
 */
export class GitlabOAuthRoutes {
  readonly server: OAuthAuthorizationServer;
  private readonly consent: ConsentProvider;

  constructor(private readonly gl: GitlabWorld, lifetimes: Partial<OAuthLifetimes> = {}) {
    this.server = new OAuthAuthorizationServer(
      { pkce: true, rotateRefreshTokens: true, accessTokenSeconds: lifetimes.accessTokenSeconds ?? 7200, refreshTokenSeconds: lifetimes.refreshTokenSeconds ?? null },
      {
        issueAccessToken: (subject, scopes, _client, expiresAtMs) => {
          const value = randomBytes(32).toString('hex');
          const id = this.gl.allocateTokenId();
          this.gl.addToken({
            id, name: `oauth-issued-${id}`, kind: 'oauth', value, userId: subject.userId, scopes, expiresAt: null,
            oauthExpiresAtMs: expiresAtMs, revoked: false, createdAt: new Date().toISOString(),
          });
          return value;
        },
        newRefreshToken: () => randomBytes(32).toString('hex'),
      },
    );
    this.consent = {
      displayName: 'GitLab',
      server: this.server,
      findSubject: (login) => {
        const user = this.gl.userByUsername(login);
        return user && !user.bot ? { userId: user.id, login: user.username } : undefined;
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === '/oauth/authorize') {
      await handleAuthorize(req, res, url, this.consent);
      return true;
    }
    if (url.pathname === '/oauth/token') {
      await handleToken(req, res, this.consent);
      return true;
    }
    return false;
  }
}
