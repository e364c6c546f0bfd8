import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CredentialRejectedError, type UpstreamRepository, createEgressFetch, withAuthorization } from '@repovault/providers/core';
import { type RunningSimulator, startSimulator } from '@repovault/testing/provider-simulator';
import { type GitLabCredentialIdentity, GitLabAdapter, gitlabApiBaseUrl, gitlabAuthorization, gitlabCredentialPolicy, gitlabGitAuthorization } from '../src';
import { adapterFor, adapterTestSeed, requestsOutsideContract, sentRequests } from './gitlab-test-support';

const run = promisify(execFile);

async function collect(iterable: AsyncIterable<UpstreamRepository>): Promise<UpstreamRepository[]> {
  const out: UpstreamRepository[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('GitLabAdapter against the simulator', () => {
  let sim: RunningSimulator;
  let host: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: adapterTestSeed() });
    host = new URL(sim.gitlab.baseUrl).host;
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('identifies a personal access token: user, scopes, expiry, identity key and the budget GitLab reported', async () => {
    const identity = await adapterFor(sim, 'gl-alice').identify();
    expect(identity).toMatchObject({
      provider: 'gitlab', host, login: 'alice', tokenKind: 'personal', scopes: ['read_api', 'read_repository'],
      gitlab: { name: 'gl-alice', expiresAt: '2099-12-31', active: true, revoked: false, bot: false },
    });
    expect(identity.key).toBe(`gitlab:${host}:user:${identity.accountId}`);
    expect(sim.identityOf(sim.tokens['gl-alice'] ?? '')).toBe(`gitlab:user:${identity.accountId}`);
    expect(identity.rateLimit).toMatchObject({ limit: 2000, resource: 'api' });
    expect(identity.rateLimit?.remaining).toBeLessThan(2000);
    expect(gitlabCredentialPolicy.afterIdentify(identity, 'additional')).toBeNull();
  });

  it('gives two tokens of one user one identity key, and project and group tokens bot identities of their own', async () => {
    const [a, b, project, group] = await Promise.all(['gl-alice', 'gl-alice-2', 'gl-project-bot', 'gl-group-bot'].map((t) => adapterFor(sim, t).identify()));
    expect(a.key).toBe(b.key);
    expect(project).toMatchObject({ tokenKind: 'project', gitlab: { bot: true, name: 'gl-project-bot' } });
    expect(project.login).toMatch(/^project_\d+_bot_/);
    expect(group).toMatchObject({ tokenKind: 'group', gitlab: { bot: true } });
    expect(group.login).toMatch(/^group_\d+_bot_/);
    expect(new Set([a.key, project.key, group.key]).size).toBe(3);
  });

  it('identifies an OAuth token through /oauth/token/info', async () => {
    const identity = await adapterFor(sim, 'gl-alice-oauth').identify();
    expect(identity).toMatchObject({ login: 'alice', tokenKind: 'oauth', scopes: ['api'], gitlab: { name: null, bot: false } });
    expect(Date.parse(identity.gitlab.expiresAt ?? '')).toBeGreaterThan(Date.now());
    expect(identity.key).toBe((await adapterFor(sim, 'gl-alice').identify()).key);
    expect(gitlabCredentialPolicy.afterIdentify(identity, 'main')).toBeNull();
  });

  it('rejects unknown and expired tokens', async () => {
    const apiBaseUrl = gitlabApiBaseUrl(sim.gitlab.baseUrl);
    const bogus = new GitLabAdapter({ apiBaseUrl, fetch: withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), gitlabAuthorization('glpat-bogusbogusbogusbogus'), [new URL(apiBaseUrl).origin]) });
    await expect(bogus.identify()).rejects.toBeInstanceOf(CredentialRejectedError);
    const expired = adapterFor(sim, 'gl-alice-expired').identify();
    await expect(expired).rejects.toBeInstanceOf(CredentialRejectedError);
    await expect(adapterFor(sim, 'gl-alice-expired').identify()).rejects.toThrow(/says it has expired/);
    const policy = gitlabCredentialPolicy.afterIdentify({ ...(await adapterFor(sim, 'gl-alice').identify()), gitlab: { name: 'old', expiresAt: '2024-06-30', active: true, revoked: false, bot: false } } as GitLabCredentialIdentity, 'main');
    expect(policy).toMatchObject({ code: 'token-expired' });
    expect(policy?.detail).toContain('expired on 2024-06-30');
  });

  it('refuses a token without read_repository, naming the scope, and knows it can read metadata but not clone', async () => {
    const identity = await adapterFor(sim, 'gl-dave').identify();
    expect(identity.scopes).toEqual(['read_api']);
    const adapter = adapterFor(sim, 'gl-dave');
    expect(adapter.capabilitiesOf(identity)).toEqual({ git: false, metadata: true });
    const refusal = gitlabCredentialPolicy.afterIdentify(identity, 'additional');
    expect(refusal?.code).toBe('missing-scopes');
    expect(refusal?.detail).toBe(
      'The GitLab personal access token of dave lacks the scope "read_repository" (it has: read_api), so RepoVault could not clone its repositories (read_repository). ' +
        'Edit the token\'s scopes in GitLab or create a personal access token with read_api and read_repository, and add it again.',
    );
  });

  it('identifies a clone-only token without calling /user, and refuses it for lacking read_api', async () => {
    const before = sentRequests.length;
    const identity = await adapterFor(sim, 'gl-git-only').identify();
    expect(sentRequests.slice(before).map((r) => new URL(r.url).pathname)).toEqual(['/api/v4/personal_access_tokens/self']);
    expect(identity).toMatchObject({ scopes: ['read_repository'], tokenKind: 'access-token' });
    expect(identity.login).toBe(`user-${identity.accountId}`);
    expect(adapterFor(sim, 'gl-git-only').capabilitiesOf(identity)).toEqual({ git: true, metadata: false });
    expect(gitlabCredentialPolicy.afterIdentify(identity, 'main')?.detail).toContain('lacks the scope "read_api" (it has: read_repository)');
  });

  it('refuses secrets that are no API tokens before asking GitLab', () => {
    expect(gitlabCredentialPolicy.beforeIdentify('gldt-abcdefabcdefabcdef', 'main')).toMatchObject({ code: 'unsupported-token' });
    expect(gitlabCredentialPolicy.beforeIdentify('glft-abcdefabcdefabcdef', 'additional')?.detail).toContain('feed token');
    expect(gitlabCredentialPolicy.beforeIdentify(sim.tokens['gl-alice'] ?? '', 'additional')).toBeNull();
    expect(gitlabCredentialPolicy.beforeIdentify(sim.tokens['gl-alice-oauth'] ?? '', 'main')).toBeNull();
  });

  it('checks group access by effective membership (subgroups inherit; bots of projects are no group members)', async () => {
    const access = async (token: string, group: string): Promise<unknown> => {
      const adapter = adapterFor(sim, token);
      return adapter.checkOrganizationAccess(group, await adapter.identify());
    };
    expect(await access('gl-bob', 'acme-group')).toEqual({ hasAccess: true, canonicalName: 'acme-group' });
    expect(await access('gl-carol', 'acme-group/platform')).toEqual({ hasAccess: true, canonicalName: 'acme-group/platform' });
    expect(await access('gl-group-bot', 'acme-group')).toEqual({ hasAccess: true, canonicalName: 'acme-group' });
    expect(await access('gl-project-bot', 'acme-group')).toEqual({ hasAccess: false, canonicalName: 'acme-group' });
    expect(await access('gl-mallory', 'acme-group')).toEqual({ hasAccess: false });
    expect(await access('gl-bob', 'no-such-group')).toEqual({ hasAccess: false });
  });

  it('lists a group with and without its subgroups, following the pages', async () => {
    const all = await collect(adapterFor(sim, 'gl-alice').listRepositories('acme-group'));
    const expected = [...sim.listRepositories('acme-group').map((n) => `acme-group/${n}`), ...sim.listRepositories('acme-group/platform').map((n) => `acme-group/platform/${n}`)];
    expect(all.map((r) => r.fullName).sort()).toEqual(expected.sort());
    expect(all).toHaveLength(50);
    const web = all.find((r) => r.fullName === 'acme-group/web');
    expect(web).toMatchObject({ name: 'web', defaultBranch: 'main', private: true, hasWiki: true, cloneUrl: `${sim.gitlab.baseUrl}/acme-group/web.git` });
    expect(web?.providerId).toBe(String(sim.repository('acme-group', 'web').id));

    const own = await collect(adapterFor(sim, 'gl-alice', { includeSubgroups: false }).listRepositories('acme-group'));
    expect(own).toHaveLength(40);
    expect(own.every((r) => !r.fullName.startsWith('acme-group/platform/'))).toBe(true);

    const pages: string[] = [];
    const bulk = await collect(adapterFor(sim, 'gl-bulk', {}, (url) => pages.push(url)).listRepositories('bulk'));
    expect(bulk).toHaveLength(130);
    expect(new Set(bulk.map((r) => r.providerId)).size).toBe(130);
    expect(pages).toHaveLength(2);
    expect(pages[1]).toContain('page=2');
  });

  it('lists the projects an identity is a member of with keyset pagination', async () => {
    const urls: string[] = [];
    const bulk = await collect(adapterFor(sim, 'gl-bulk', {}, (url) => urls.push(url)).listMembershipProjects());
    expect(bulk).toHaveLength(130);
    expect(urls).toHaveLength(2);
    expect(urls[1]).toMatch(/id_after=\d+/);
    expect((await collect(adapterFor(sim, 'gl-project-bot').listMembershipProjects())).map((r) => r.fullName)).toEqual(['acme-group/web']);
  });

  it('clones with gitlabGitAuthorization (username oauth2) for access and OAuth tokens alike', async () => {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: '/nonexistent' };
    const url = `${sim.gitlab.baseUrl}/acme-group/platform/platform-0001.git`;
    for (const [name, kind] of [['gl-bob', 'personal'], ['gl-alice-oauth', 'oauth'], ['gl-group-bot', 'group']] as const) {
      const header = `http.extraHeader=Authorization: ${gitlabGitAuthorization(sim.tokens[name] ?? '', kind)}`;
      const { stdout } = await run('git', ['-c', header, 'ls-remote', url], { env });
      expect(stdout).toMatch(/refs\/heads\/main/);
      expect(stdout).toMatch(/refs\/merge-requests\/\d+\/head/);
    }
    await expect(run('git', ['-c', `http.extraHeader=Authorization: ${gitlabGitAuthorization(sim.tokens['gl-dave'] ?? '')}`, 'ls-remote', url], { env })).rejects.toThrow();
  });

  it('sent no request outside the hand-written GitLab contract', () => {
    expect(sentRequests.length).toBeGreaterThan(20);
    expect(requestsOutsideContract()).toEqual([]);
  });
});
