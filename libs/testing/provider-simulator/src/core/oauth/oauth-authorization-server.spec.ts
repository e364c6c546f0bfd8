import { createHash } from 'node:crypto';
import { OAuthAuthorizationServer, type SimOAuthClient } from './oauth-authorization-server';

const CLIENT: SimOAuthClient = { clientId: 'app', clientSecret: 'app-secret', name: 'App', redirectUris: ['https://rv.example.com/cb'] };
const SUBJECT = { userId: 7, login: 'alice' };

function server(rotate = true): { server: OAuthAuthorizationServer; issued: string[] } {
  const issued: string[] = [];
  let n = 0;
  const s = new OAuthAuthorizationServer(
    { pkce: true, rotateRefreshTokens: rotate, accessTokenSeconds: 60, refreshTokenSeconds: null },
    { issueAccessToken: () => { const t = `access-${++n}`; issued.push(t); return t; }, newRefreshToken: () => `refresh-${++n}` },
  );
  s.registerClient(CLIENT);
  return { server: s, issued };
}

function authorize(s: OAuthAuthorizationServer, extra: Record<string, string> = {}): string {
  const parsed = s.parseAuthorize(new URLSearchParams({ client_id: 'app', redirect_uri: 'https://rv.example.com/cb', response_type: 'code', state: 'st', scope: 'read', ...extra }));
  if (!parsed.ok) throw new Error(parsed.message);
  return new URL(s.grant(parsed.request, SUBJECT)).searchParams.get('code') ?? '';
}

const form = (fields: Record<string, string>) => new URLSearchParams({ grant_type: 'authorization_code', redirect_uri: 'https://rv.example.com/cb', ...fields });

describe('OAuthAuthorizationServer', () => {
  it('checks the authorize request before showing a consent page: client, redirect URI, challenge method', () => {
    const { server: s } = server();
    expect(s.parseAuthorize(new URLSearchParams({ client_id: 'nope' }))).toMatchObject({ ok: false, message: expect.stringMatching(/client_id/) });
    expect(s.parseAuthorize(new URLSearchParams({ client_id: 'app', redirect_uri: 'https://evil.example.com/cb' }))).toMatchObject({ ok: false, message: expect.stringMatching(/not associated/) });
    expect(s.parseAuthorize(new URLSearchParams({ client_id: 'app', code_challenge: 'x', code_challenge_method: 'S512' }))).toMatchObject({ ok: false });
  });

  it('exchanges a code once, with the S256 verifier that matches its challenge', () => {
    const { server: s } = server();
    const verifier = 'v'.repeat(43);
    const code = authorize(s, { code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
    expect(s.exchange(form({ code }), CLIENT)).toMatchObject({ ok: false, error: 'invalid_grant', description: expect.stringMatching(/code_verifier is missing/) });
    expect(s.exchange(form({ code, code_verifier: 'w'.repeat(43) }), CLIENT)).toMatchObject({ ok: false, description: expect.stringMatching(/does not match/) });
    expect(s.exchange(form({ code, code_verifier: verifier, redirect_uri: 'https://rv.example.com/other' }), CLIENT)).toMatchObject({ ok: false, description: expect.stringMatching(/redirect_uri/) });
    expect(s.exchange(form({ code, code_verifier: verifier }), CLIENT)).toMatchObject({ ok: true, body: { access_token: 'access-1', refresh_token: 'refresh-2', expires_in: 60, scope: 'read' } });
    expect(s.exchange(form({ code, code_verifier: verifier }), CLIENT)).toMatchObject({ ok: false, description: expect.stringMatching(/already used/) });
    expect(s.stats()).toMatchObject({ authorizations: 1, exchanges: 1, refusedExchanges: 4 });
  });

  it('takes plain challenges too, and codes of another client never', () => {
    const { server: s } = server();
    const code = authorize(s, { code_challenge: 'plain-verifier-plain-verifier-plain-verifier', code_challenge_method: 'plain' });
    s.registerClient({ ...CLIENT, clientId: 'other' });
    expect(s.exchange(form({ code, code_verifier: 'plain-verifier-plain-verifier-plain-verifier' }), { ...CLIENT, clientId: 'other' })).toMatchObject({ ok: false });
    expect(s.exchange(form({ code, code_verifier: 'plain-verifier-plain-verifier-plain-verifier' }), CLIENT)).toMatchObject({ ok: true });
  });

  it('rotates refresh tokens: the new one works once, the old one is refused', () => {
    const { server: s } = server();
    const first = s.exchange(form({ code: authorize(s) }), CLIENT);
    if (!first.ok) throw new Error(first.description);
    const refresh = String(first.body['refresh_token']);
    const second = s.refresh(new URLSearchParams({ refresh_token: refresh }), CLIENT);
    expect(second).toMatchObject({ ok: true, body: { refresh_token: expect.not.stringMatching(refresh) } });
    expect(s.refresh(new URLSearchParams({ refresh_token: refresh }), CLIENT)).toMatchObject({ ok: false, description: expect.stringMatching(/already used/) });
    expect(s.stats()).toMatchObject({ refreshes: 1, refusedRefreshes: 1 });
  });

  it('keeps the refresh token where the provider does not rotate', () => {
    const { server: s } = server(false);
    const first = s.exchange(form({ code: authorize(s) }), CLIENT);
    if (!first.ok) throw new Error(first.description);
    const refresh = String(first.body['refresh_token']);
    expect(s.refresh(new URLSearchParams({ refresh_token: refresh }), CLIENT)).toMatchObject({ ok: true });
    expect(s.refresh(new URLSearchParams({ refresh_token: refresh }), CLIENT)).toMatchObject({ ok: true });
  });

  it('authenticates clients by form or Basic, never with a wrong secret', () => {
    const { server: s } = server();
    expect(s.authenticateClient(new URLSearchParams({ client_id: 'app', client_secret: 'app-secret' }), undefined)).toBe(s.client('app'));
    expect(s.authenticateClient(new URLSearchParams(), `Basic ${Buffer.from('app:app-secret').toString('base64')}`)).toBe(s.client('app'));
    expect(s.authenticateClient(new URLSearchParams({ client_id: 'app', client_secret: 'guess' }), undefined)).toBeNull();
  });
});
