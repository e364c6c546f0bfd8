import { ConfigError, describeConfig, env, loadConfig } from '@repovault/platform/config';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { oauthEndpointsFor, parseGitHubAppsConfig, parseOperatorOAuthClients, renewalTime } from '../src';

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('REPOVAULT_GITHUB_APPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rv-apps-'));
  const mainKey = pem();
  const extraKey = pem();
  writeFileSync(join(dir, 'main.pem'), mainKey);
  writeFileSync(join(dir, 'app-3.pem'), extraKey);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function doc(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  it('reads the main app and additional apps from a YAML file, keys from files relative to it', () => {
    const file = doc('apps.yaml', [
      'main: { appId: 101, slug: repovault, privateKeyFile: main.pem }',
      'additional:',
      '  - { slot: 3, appId: 103, slug: repovault-3, privateKeyFile: app-3.pem, baseUrl: https://ghe.example.com }',
    ].join('\n'));
    const apps = parseGitHubAppsConfig(file);
    expect(apps.main).toMatchObject({ slot: 'main', appId: 101, slug: 'repovault', privateKey: mainKey.trimEnd(), apiBaseUrl: 'https://api.github.com' });
    expect(apps.additional.get(3)).toMatchObject({ slot: 3, appId: 103, apiBaseUrl: 'https://ghe.example.com/api/v3', privateKey: extraKey.trimEnd() });
  });

  it('follows the config lib: REPOVAULT_GITHUB_APPS or REPOVAULT_GITHUB_APPS_FILE (the document itself), redacted when printed', () => {
    const schema = { REPOVAULT_GITHUB_APPS: env.custom('apps', parseGitHubAppsConfig).asSecret().optional() };
    const inline = doc('apps-inline.json', JSON.stringify({ main: { appId: 7, slug: 'rv', privateKeyFile: join(dir, 'main.pem') } }, null, 2));
    const viaFile = loadConfig(schema, { REPOVAULT_GITHUB_APPS_FILE: inline });
    expect(viaFile.REPOVAULT_GITHUB_APPS?.main?.appId).toBe(7);
    expect(loadConfig(schema, { REPOVAULT_GITHUB_APPS: inline }).REPOVAULT_GITHUB_APPS?.main?.slug).toBe('rv');
    expect(JSON.stringify(describeConfig(schema, viaFile))).not.toContain('PRIVATE KEY');
    expect(loadConfig(schema, {}).REPOVAULT_GITHUB_APPS).toBeUndefined();
    expect(() => loadConfig(schema, { REPOVAULT_GITHUB_APPS: inline, REPOVAULT_GITHUB_APPS_FILE: inline })).toThrow(ConfigError);
  });

  it.each([
    ['both a key and a key file', '{ "main": { "appId": 1, "slug": "a", "privateKey": "x", "privateKeyFile": "main.pem" } }', /set either privateKey or privateKeyFile, not both/],
    ['no key at all', '{ "main": { "appId": 1, "slug": "a" } }', /main\.privateKeyFile \(or privateKey\) is required/],
    ['an unreadable key file', '{ "main": { "appId": 1, "slug": "a", "privateKeyFile": "missing.pem" } }', /privateKeyFile: cannot read file .*missing\.pem: ENOENT/],
    ['a key that is no PEM', '{ "main": { "appId": 1, "slug": "a", "privateKey": "not-a-key" } }', /the private key is not a PEM private key/],
    ['slot 11', '{ "additional": [{ "slot": 11, "appId": 1, "slug": "a", "privateKeyFile": "main.pem" }] }', /additional\[0\]\.slot must be an integer between 1 and 10/],
    ['a slot twice', '{ "additional": [{ "slot": 1, "appId": 1, "slug": "a", "privateKeyFile": "main.pem" }, { "slot": 1, "appId": 2, "slug": "b", "privateKeyFile": "main.pem" }] }', /slot 1 is given twice/],
    ['one app in two slots', '{ "main": { "appId": 1, "slug": "a", "privateKeyFile": "main.pem" }, "additional": [{ "slot": 1, "appId": 1, "slug": "a", "privateKeyFile": "main.pem" }] }', /one app \(slug\) in two slots/],
    ['an unknown field', '{ "main": { "appId": 1, "slug": "a", "privateKeyFile": "main.pem", "clientSecret": "x" } }', /unknown field clientSecret/],
    ['no app', '{}', /describes no app/],
  ])('refuses %s with a message naming the field', (_label, text, message) => {
    expect(() => parseGitHubAppsConfig(doc(`bad-${Math.random()}.json`, text))).toThrow(message);
  });

  it('never puts a key into an error message', () => {
    const secretish = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC';
    expect(() => parseGitHubAppsConfig(doc('leak.json', JSON.stringify({ main: { appId: 1, slug: 'a', privateKey: `-----BEGIN PRIVATE KEY-----\n${secretish}\n-----END PRIVATE KEY-----` } }))))
      .toThrow(expect.objectContaining({ message: expect.not.stringContaining(secretish) }));
  });
});

describe('REPOVAULT_OAUTH_CLIENTS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rv-clients-'));
  writeFileSync(join(dir, 'gh.secret'), 'gh-secret\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads clients per provider and host, secrets from files', () => {
    const file = join(dir, 'clients.yaml');
    writeFileSync(file, ['clients:', '  - { provider: github, clientId: gh-id, clientSecretFile: gh.secret }', '  - { provider: gitlab, baseUrl: https://gitlab.example.com, clientId: gl-id, clientSecret: gl-secret }'].join('\n'));
    expect(parseOperatorOAuthClients(file)).toEqual([
      { provider: 'github', apiBaseUrl: 'https://api.github.com', clientId: 'gh-id', clientSecret: 'gh-secret' },
      { provider: 'gitlab', apiBaseUrl: 'https://gitlab.example.com/api/v4', clientId: 'gl-id', clientSecret: 'gl-secret' },
    ]);
  });

  it.each([
    ['a Data Center client without its base URL', '[{ "provider": "bitbucket-dc", "clientId": "a", "clientSecret": "b" }]', /baseUrl is required for Bitbucket Data Center/],
    ['an unknown provider', '[{ "provider": "gitea", "clientId": "a", "clientSecret": "b" }]', /provider must be one of github, gitlab, bitbucket-cloud, bitbucket-dc/],
    ['two clients for one host', '[{ "provider": "github", "clientId": "a", "clientSecret": "b" }, { "provider": "github", "clientId": "c", "clientSecret": "d" }]', /two clients for one provider and host/],
  ])('refuses %s', (_label, text, message) => {
    const file = join(dir, `bad-${Math.random()}.json`);
    writeFileSync(file, text);
    expect(() => parseOperatorOAuthClients(file)).toThrow(message);
  });
});

describe('OAuth endpoints and token renewal', () => {
  it.each([
    ['github', 'https://api.github.com', 'https://github.com/login/oauth/authorize', 'https://github.com/login/oauth/access_token', true],
    ['github', 'https://ghe.example.com/api/v3', 'https://ghe.example.com/login/oauth/authorize', 'https://ghe.example.com/login/oauth/access_token', true],
    ['gitlab', 'https://gitlab.com/api/v4', 'https://gitlab.com/oauth/authorize', 'https://gitlab.com/oauth/token', true],
    ['gitlab', 'https://example.com/gitlab/api/v4', 'https://example.com/gitlab/oauth/authorize', 'https://example.com/gitlab/oauth/token', true],
    ['bitbucket-cloud', 'https://api.bitbucket.org/2.0', 'https://bitbucket.org/site/oauth2/authorize', 'https://bitbucket.org/site/oauth2/access_token', false],
    ['bitbucket-dc', 'https://bb.example.com/rest/api/latest', 'https://bb.example.com/rest/oauth2/latest/authorize', 'https://bb.example.com/rest/oauth2/latest/token', true],
  ] as const)('%s at %s', (provider, api, authorizeUrl, tokenUrl, pkce) => {
    expect(oauthEndpointsFor(provider, api)).toMatchObject({ authorizeUrl, tokenUrl, pkce });
  });

  it('renews a quarter of the lifetime early, at most five minutes early, never for tokens that do not expire', () => {
    expect(renewalTime(0, 3_600_000)).toBe(3_300_000);
    expect(renewalTime(0, 7_200_000)).toBe(6_900_000);
    expect(renewalTime(0, 20_000)).toBe(15_000);
    expect(renewalTime(0, null)).toBeNull();
  });
});
