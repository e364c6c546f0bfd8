import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { headerValue } from '../../core/http-io';
import { type ConsentProvider, handleAuthorize, handleToken } from '../../core/oauth/consent-flow';
import { OAuthAuthorizationServer, type OAuthLifetimes } from '../../core/oauth/oauth-authorization-server';
import type { World } from '../../core/world/world';

function token(prefix: string): string {
  return `${prefix}${randomBytes(27).toString('base64url').replace(/[-_]/g, 'x').slice(0, 36)}`;
}

/**
 * GitHub's OAuth web flow on the simulated github.com (and GHES): `/login/oauth/authorize` (the
 * consent page) and `/login/oauth/access_token`, which answers a form unless JSON is asked for and
 * reports errors with status 200, as GitHub does. Tokens are `gho_…` acting as the user with the
 * granted scopes (the user's budget); with a lifetime set they expire and come with a rotating
 * `ghr_…` refresh token.
 */
export class GithubOAuthRoutes {
  readonly server: OAuthAuthorizationServer;
  private readonly consent: ConsentProvider;
  private issued = 0;

  constructor(private readonly world: World, lifetimes: Partial<OAuthLifetimes> = {}) {
    this.server = new OAuthAuthorizationServer(
      { pkce: true, rotateRefreshTokens: true, accessTokenSeconds: lifetimes.accessTokenSeconds ?? null, refreshTokenSeconds: lifetimes.refreshTokenSeconds ?? 15_811_200 },
      {
        issueAccessToken: (subject, scopes, _client, expiresAtMs) => {
          const value = token('gho_');
          this.world.issueCredential({
            name: `oauth-${++this.issued}`, provider: 'github', kind: 'classic', value, userId: subject.userId, scopes,
            organizations: [], repositories: 'all', permission: 'read', ...(expiresAtMs === null ? {} : { expiresAtMs }),
          });
          return value;
        },
        newRefreshToken: () => token('ghr_'),
      },
    );
    this.consent = {
      displayName: 'GitHub',
      server: this.server,
      findSubject: (login) => {
        const user = this.world.user(login);
        return user ? { userId: user.id, login: user.login } : undefined;
      },
      tokenFormat: (req) => ({ form: /json/i.test(headerValue(req, 'accept') ?? '') ? 'json' : 'urlencoded', errorsAsOk: true }),
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === '/login/oauth/authorize') {
      await handleAuthorize(req, res, url, this.consent);
      return true;
    }
    if (url.pathname === '/login/oauth/access_token') {
      await handleToken(req, res, this.consent);
      return true;
    }
    return false;
  }
}
