import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { type ConsentProvider, handleAuthorize, handleToken } from '../../core/oauth/consent-flow';
import { OAuthAuthorizationServer, type OAuthLifetimes } from '../../core/oauth/oauth-authorization-server';
import type { World } from '../../core/world/world';
import type { ScopeNeed, ScopeVerdict } from './bitbucket-cloud-access';
import type { BitbucketCloudDirectory } from './bitbucket-cloud-directory';

/** OAuth consumer permissions (scopes) and what they imply, as Bitbucket Cloud documents them. */
const IMPLIED_BY: Record<string, string[]> = {
  account: ['account:write'],
  repository: ['repository:write', 'repository:admin', 'pullrequest', 'pullrequest:write', 'project', 'project:admin'],
  'repository:write': ['pullrequest:write'],
  pullrequest: ['pullrequest:write'],
  issue: ['issue:write'],
};

function holds(scopes: readonly string[], scope: string): boolean {
  return scopes.includes(scope) || (IMPLIED_BY[scope] ?? []).some((parent) => holds(scopes, parent));
}

/**
 * Whether an OAuth consumer's token may call an endpoint: the access-token scope language, plus
 * `account` for the user and workspace endpoints (OAuth tokens, unlike access tokens, have a user).
 */
export function checkOAuthScope(scopes: readonly string[], need: ScopeNeed): ScopeVerdict {
  if (need.apiToken === 'read:user:bitbucket' || need.apiToken === 'read:workspace:bitbucket') {
    return holds(scopes, 'account') ? { ok: true } : { ok: false, reason: 'scope', required: 'account' };
  }
  if (need.apiToken === 'read:issue:bitbucket') return holds(scopes, 'issue') || holds(scopes, 'repository') ? { ok: true } : { ok: false, reason: 'scope', required: 'issue' };
  if (need.accessToken === null) return { ok: false, reason: 'credential-type' };
  if (need.accessToken.length === 0 || need.accessToken.some((s) => holds(scopes, s))) return { ok: true };
  return { ok: false, reason: 'scope', required: need.accessToken[0] ?? 'repository' };
}

/**
 * bitbucket.org's OAuth 2 for consumers: `/site/oauth2/authorize` (consent page; no PKCE) and
 * `/site/oauth2/access_token` (client authentication with Basic or the form; JSON; two-hour access
 * tokens, rotating refresh tokens). The consumer's permissions are its scopes; its tokens act as the
 * consenting user and count against the consumer.
 */
export class BitbucketCloudOAuthRoutes {
  readonly server: OAuthAuthorizationServer;
  private readonly consent: ConsentProvider;

  constructor(private readonly world: World, private readonly directory: BitbucketCloudDirectory, lifetimes: Partial<OAuthLifetimes> = {}) {
    this.server = new OAuthAuthorizationServer(
      { pkce: false, rotateRefreshTokens: true, accessTokenSeconds: lifetimes.accessTokenSeconds ?? 7200, refreshTokenSeconds: lifetimes.refreshTokenSeconds ?? null },
      {
        issueAccessToken: (subject, scopes, client, expiresAtMs) => this.directory.issueOAuthToken(subject.userId, client.clientId, scopes, expiresAtMs),
        newRefreshToken: () => randomBytes(24).toString('base64url'),
      },
    );
    this.consent = {
      displayName: 'Bitbucket',
      server: this.server,
      findSubject: (login) => {
        const user = this.world.user(login);
        return user ? { userId: user.id, login: user.login } : undefined;
      },
    };
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (url.pathname === '/site/oauth2/authorize') {
      await handleAuthorize(req, res, url, this.consent);
      return true;
    }
    if (url.pathname === '/site/oauth2/access_token') {
      await handleToken(req, res, this.consent);
      return true;
    }
    return false;
  }
}
