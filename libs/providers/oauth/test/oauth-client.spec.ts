import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { createHash } from 'node:crypto';
import { OAuthClient, OAuthGrantError, oauthEndpointsFor } from '../src';
import { consent, oauthWorld } from './oauth-test-world';

const REDIRECT = 'https://repovault.example.com/v1/oauth/callback';

type ProviderKindForTest = 'github' | 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';

describe('OAuthClient (passport-oauth2) against the simulated providers', () => {
  let sim: RunningSimulator;
  const apiBase: Record<ProviderKindForTest, () => string> = {
    github: () => sim.github.baseUrl,
    gitlab: () => sim.gitlab.apiUrl,
    'bitbucket-cloud': () => sim.bitbucketCloud.apiUrl,
    'bitbucket-dc': () => `${sim.bitbucketDc.baseUrl}/rest/api/latest`,
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: oauthWorld() });
    for (const provider of ['github', 'gitlab', 'bitbucket-cloud', 'bitbucket-dc'] as const) {
      sim.oauth.registerClient(provider, {
        clientId: `client-${provider}`, clientSecret: `secret-${provider}`, name: 'RepoVault', redirectUris: [REDIRECT],
        ...(provider === 'bitbucket-cloud' ? { scopes: ['account', 'repository', 'pullrequest', 'issue'] } : {}),
      });
    }
  }, 60_000);

  afterAll(() => sim?.close());

  function client(provider: ProviderKindForTest, secret = `secret-${provider}`): OAuthClient {
    return new OAuthClient({
      endpoints: oauthEndpointsFor(provider, apiBase[provider]()),
      clientId: `client-${provider}`,
      clientSecret: secret,
      redirectUri: REDIRECT,
      egress: { allowPrivateAddresses: true },
    });
  }

  it.each(['github', 'gitlab', 'bitbucket-dc'] as const)('%s: sends a PKCE S256 challenge and exchanges the code with its verifier', async (provider) => {
    const oauth = client(provider);
    const { url, codeVerifier } = await oauth.authorizationRequest('state-1');
    const params = new URL(url).searchParams;
    expect(codeVerifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get('code_challenge')).toBe(createHash('sha256').update(codeVerifier ?? '').digest('base64url'));
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('state')).toBe('state-1');
    expect(params.get('redirect_uri')).toBe(REDIRECT);
    const back = await consent(url, 'alice');
    expect(back.searchParams.get('state')).toBe('state-1');
    const tokens = await oauth.exchangeCode({ state: 'state-1', code: back.searchParams.get('code') ?? '' }, codeVerifier);
    expect(tokens.accessToken.length).toBeGreaterThan(20);
    expect(tokens.refreshToken).not.toBeNull();
  });

  it('bitbucket-cloud: no PKCE (unsupported there), the client authenticates with Basic', async () => {
    const oauth = client('bitbucket-cloud');
    const { url, codeVerifier } = await oauth.authorizationRequest('s');
    expect(codeVerifier).toBeNull();
    expect(new URL(url).searchParams.get('code_challenge')).toBeNull();
    const back = await consent(url, 'alice');
    const tokens = await oauth.exchangeCode({ state: 's', code: back.searchParams.get('code') ?? '' }, null);
    const user = await fetch(`${sim.bitbucketCloud.apiUrl}/user`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect(user.status).toBe(200);
  });

  it.each(['github', 'gitlab'] as const)('%s: the simulator refuses a code exchanged without the matching PKCE verifier', async (provider) => {
    const oauth = client(provider);
    const { url, codeVerifier } = await oauth.authorizationRequest('s');
    const code = (await consent(url, 'alice')).searchParams.get('code') ?? '';
    const endpoints = oauthEndpointsFor(provider, apiBase[provider]());
    const raw = async (verifier?: string) => {
      const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: `client-${provider}`, client_secret: `secret-${provider}` });
      if (verifier) form.set('code_verifier', verifier);
      const response = await fetch(endpoints.tokenUrl, { method: 'POST', body: form, headers: { accept: 'application/json' } });
      return (await response.json()) as { error?: string; error_description?: string; access_token?: string };
    };
    expect(await raw()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/code_verifier is missing/) });
    expect(await raw('x'.repeat(43))).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/does not match/) });
    // the client, with a wrong verifier, reports the refusal; the right one still works once
    await expect(oauth.exchangeCode({ state: 's', code }, 'y'.repeat(43))).rejects.toBeInstanceOf(OAuthGrantError);
    expect((await raw(codeVerifier ?? '')).access_token).toBeDefined();
    expect(await raw(codeVerifier ?? '')).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/already used/) });
    expect(sim.oauth.stats(provider).refusedExchanges).toBeGreaterThanOrEqual(4);
  });

  it('refreshes with rotation: the new refresh token works, the old one is refused', async () => {
    sim.oauth.configure('gitlab', { accessTokenSeconds: 60 });
    const oauth = client('gitlab');
    const { url, codeVerifier } = await oauth.authorizationRequest('s');
    const code = (await consent(url, 'alice')).searchParams.get('code') ?? '';
    const first = await oauth.exchangeCode({ state: 's', code }, codeVerifier);
    expect(first.expiresAt).not.toBeNull();
    const second = await oauth.refresh(first.refreshToken ?? '');
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await expect(oauth.refresh(first.refreshToken ?? '')).rejects.toThrow(/already used/);
    const user = await fetch(`${sim.gitlab.apiUrl}/user`, { headers: { authorization: `Bearer ${second.accessToken}` } });
    expect(user.status).toBe(200);
  });

  it('reports a denied consent and a wrong client secret as grant errors, without tokens in the message', async () => {
    const oauth = client('github');
    const { url, codeVerifier } = await oauth.authorizationRequest('s');
    const denied = await consent(url, 'alice', 'deny');
    await expect(oauth.exchangeCode({ state: 's', error: denied.searchParams.get('error') ?? '' }, codeVerifier)).rejects.toMatchObject({ code: 'access_denied' });
    const wrong = client('gitlab', 'not-the-secret');
    const request = await wrong.authorizationRequest('s');
    const code = (await consent(request.url, 'alice')).searchParams.get('code') ?? '';
    await expect(wrong.exchangeCode({ state: 's', code }, request.codeVerifier)).rejects.toMatchObject({ code: 'invalid_client' });
  });

  it('refuses a token endpoint on a private address unless allowed', async () => {
    const blocked = new OAuthClient({ endpoints: oauthEndpointsFor('gitlab', sim.gitlab.apiUrl), clientId: 'c', clientSecret: 's', redirectUri: REDIRECT, egress: { allowPrivateAddresses: false } });
    await expect(blocked.refresh('r')).rejects.toThrow(/not allowed/);
  });
});
