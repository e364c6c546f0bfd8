import type { SeedConfig } from '@repovault/testing/provider-simulator';

/** One small organization per provider, each with an owner `alice` and a member `bob`. */
export function oauthWorld(): SeedConfig {
  return {
    seed: 'oauth-lib',
    users: [{ login: 'alice', tokens: [{ name: 'alice' }] }, { login: 'bob', tokens: [{ name: 'bob' }] }],
    organizations: [{ login: 'acme', owners: ['alice'], members: ['bob'], repositories: [{ name: 'web', private: true }] }],
    gitlab: {
      users: [{ username: 'alice', tokens: [{ name: 'gl-alice' }] }],
      groups: [{ path: 'acme-group', owners: ['alice'], projects: [{ name: 'web' }] }],
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

/** What a person does on the consent page: sign in as `login` and press Authorize (or Cancel). */
export async function consent(authorizeUrl: string, login: string, decision: 'authorize' | 'deny' = 'authorize'): Promise<URL> {
  const url = new URL(authorizeUrl);
  const page = await fetch(url);
  if (page.status !== 200) throw new Error(`consent page answered ${page.status}: ${await page.text()}`);
  const form = new URLSearchParams(url.searchParams);
  form.set('login', login);
  form.set('decision', decision);
  const answer = await fetch(`${url.origin}${url.pathname}`, { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`consent answered ${answer.status}: ${await answer.text()}`);
  return new URL(location);
}
