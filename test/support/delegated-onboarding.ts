import type { RepoVaultClient } from '@repovault/contracts/public-api';
import type { RunningSimulator, SeedConfig } from '@repovault/testing/provider-simulator';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The world of the OAuth and GitHub App onboarding tests: GitHub `acme` (owner alice, members bob
 * and carol), `beta` and `gamma` (owner alice, member bob), GitLab `acme-group` (owner alice), a Bitbucket Cloud workspace and a
 * Data Center project, each with a few repositories.
 */
export function delegatedOnboardingWorld(repositories = 4): SeedConfig {
  return {
    seed: 'delegated-onboarding',
    users: [
      { login: 'alice', tokens: [{ name: 'alice' }] },
      { login: 'bob', tokens: [{ name: 'bob' }] },
      { login: 'carol', tokens: [{ name: 'carol' }] },
    ],
    organizations: [
      { login: 'acme', owners: ['alice'], members: ['bob', 'carol'], repositories: [{ name: 'web', private: true, metadata: { issues: 2, pulls: 1 } }], generate: { count: repositories - 1, namePrefix: 'svc', privateEvery: 2 } },
      { login: 'beta', owners: ['alice'], members: ['bob'], generate: { count: 2, namePrefix: 'beta' } },
      { login: 'gamma', owners: ['alice'], members: ['bob'], generate: { count: 2, namePrefix: 'gamma' } },
    ],
    gitlab: {
      users: [{ username: 'alice', tokens: [{ name: 'gl-alice' }] }, { username: 'bob', tokens: [{ name: 'gl-bob' }] }],
      groups: [
        { path: 'acme-group', owners: ['alice'], members: [{ username: 'bob', accessLevel: 'developer' }], projects: [{ name: 'web' }], generate: { count: repositories - 1, namePrefix: 'svc' } },
        { path: 'beta-group', owners: ['alice'], projects: [{ name: 'tools' }], subgroups: [{ path: 'inner', owners: ['alice'], projects: [{ name: 'lib' }] }] },
        // a run long enough to outlive a short-lived token: every project costs several API and git requests
        { path: 'long-group', owners: ['alice'], generate: { count: 12, namePrefix: 'part', template: { metadata: { issues: 2, pulls: 1, releases: 1, labels: 2, milestones: 1 } } } },
      ],
    },
    bitbucketCloud: {
      users: [{ login: 'alice', tokens: [{ name: 'bbc-alice' }] }],
      workspaces: [{ slug: 'acme-ws', owners: ['alice'], repositories: [{ name: 'web', private: true }] }],
    },
    bitbucketDc: {
      users: [{ login: 'alice', tokens: [{ name: 'bbdc-alice' }] }],
      projects: [{ key: 'ENG', owners: ['alice'], repositories: [{ name: 'web' }] }],
    },
  };
}

export type OAuthProvider = 'github' | 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';

export function providerBaseUrl(sim: RunningSimulator, provider: OAuthProvider): string {
  switch (provider) {
    case 'github': return sim.github.baseUrl;
    case 'gitlab': return sim.gitlab.baseUrl;
    case 'bitbucket-cloud': return sim.bitbucketCloud.apiUrl;
    case 'bitbucket-dc': return sim.bitbucketDc.baseUrl;
  }
}

/** The operator's standard-mode OAuth applications, registered with the simulator and written for credential-service. */
export function operatorOAuthClients(sim: RunningSimulator, dir: string, providers: OAuthProvider[]): string {
  const clients = providers.map((provider) => {
    const secretFile = join(dir, `${provider}-oauth.secret`);
    writeFileSync(secretFile, `operator-secret-${provider}\n`, { mode: 0o600 });
    return { provider, baseUrl: providerBaseUrl(sim, provider), clientId: `operator-${provider}`, clientSecretFile: secretFile };
  });
  const file = join(dir, 'oauth-clients.json');
  writeFileSync(file, JSON.stringify({ clients }, null, 2));
  return file;
}

/** Registers the operator's applications with the simulated providers, redirecting to this gateway. */
export function registerOperatorClients(sim: RunningSimulator, gatewayUrl: string, providers: OAuthProvider[]): void {
  for (const provider of providers) {
    sim.oauth.registerClient(provider, {
      clientId: `operator-${provider}`, clientSecret: `operator-secret-${provider}`, name: 'RepoVault', redirectUris: [`${gatewayUrl}/v1/oauth/callback`],
      ...(provider === 'bitbucket-cloud' ? { scopes: ['account', 'repository', 'pullrequest', 'issue'] } : {}),
    });
  }
}

/** The operator's GitHub Apps file: the simulator's main app and additional apps #1–#n, keys in files. */
export function operatorGitHubApps(sim: RunningSimulator, dir: string, additional: number): string {
  const entry = (slug: string) => {
    const app = sim.githubApps.app(slug);
    const keyFile = join(dir, `${slug}.pem`);
    writeFileSync(keyFile, app.privateKeyPem, { mode: 0o600 });
    return { appId: app.id, slug: app.slug, privateKeyFile: keyFile, baseUrl: sim.github.baseUrl };
  };
  const doc = { main: entry('repovault'), additional: Array.from({ length: additional }, (_, i) => ({ slot: i + 1, ...entry(`repovault-${i + 1}`) })) };
  const file = join(dir, 'github-apps.json');
  writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

export function configDir(): string {
  return mkdtempSync(join(tmpdir(), 'rv-operator-'));
}

/** What a browser does on a consent page, over plain HTTP: sign in as `login`, press Authorize or Cancel, follow the redirect home. */
export async function consentOverHttp(authorizeUrl: string, login: string, decision: 'authorize' | 'deny' = 'authorize'): Promise<{ callbackUrl: string; status: number; html: string }> {
  const url = new URL(authorizeUrl);
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const form = new URLSearchParams(url.searchParams);
  form.set('login', login);
  form.set('decision', decision);
  const answer = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  const callbackUrl = answer.headers.get('location');
  if (answer.status !== 302 || !callbackUrl) throw new Error(`consent answered ${answer.status}: ${await answer.text()}`);
  const back = await fetch(callbackUrl);
  return { callbackUrl, status: back.status, html: await back.text() };
}

/** The installation page over plain HTTP: sign in as `login`, install on (or request for) `account`, follow GitHub's redirect home. */
export async function installOverHttp(installUrl: string, login: string, account: string): Promise<{ callbackUrl: string; status: number; html: string }> {
  const url = new URL(installUrl);
  const form = new URLSearchParams({ state: url.searchParams.get('state') ?? '', login, target: account });
  const answer = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual' });
  const callbackUrl = answer.headers.get('location');
  if (answer.status !== 302 || !callbackUrl) throw new Error(`installation page answered ${answer.status}: ${await answer.text()}`);
  const back = await fetch(callbackUrl);
  return { callbackUrl, status: back.status, html: await back.text() };
}

/** Starts an OAuth authorization and walks its consent page over HTTP. */
export async function authorizeOverHttp(client: RepoVaultClient, body: { provider: OAuthProvider; baseUrl?: string; oauthAppId?: string }, login: string): Promise<{ id: string; status: number; html: string; callbackUrl: string }> {
  const { data, error } = await client.POST('/v1/oauth/authorizations', { body });
  if (!data) throw new Error(`authorization not started: ${JSON.stringify(error)}`);
  return { id: data.id, ...(await consentOverHttp(data.authorizeUrl, login)) };
}
