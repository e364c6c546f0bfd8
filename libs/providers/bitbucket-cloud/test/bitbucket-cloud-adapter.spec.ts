import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CredentialRejectedError, METADATA_KINDS, type CredentialIdentity, type ProviderFetch, UpstreamRateLimitedError, createEgressFetch, withAuthorization,
} from '@repovault/providers/core';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import {
  BitbucketCloudAdapter, BitbucketCloudIdentityError, bitbucketCloudApiBaseUrl, bitbucketCloudAuthorization, bitbucketCloudBudgetFrom, bitbucketCloudCredentialPolicy,
  bitbucketCloudGitAuthorization, bitbucketCloudResourceOf, bitbucketCloudTokenFingerprint, classifyBitbucketCloudSecret, type BitbucketCloudExportOptions,
} from '../src';
import { MemorySink, recordingFetch } from '@repovault/testing/support';

const FINGERPRINT_KEY = 'test-fingerprint-key';
const EMAILS: Record<string, string> = { alice: 'alice@example.com', bob: 'bob@example.com', carol: 'carol@example.com', dave: 'dave@example.com', mallory: 'mallory@example.com' };

/** What the catalog does: the seam adds the authorization (and, for access tokens, hands over a keyed fingerprint). */
function adapterFor(sim: RunningSimulator, name: string, base: ProviderFetch = createEgressFetch({ allowPrivateAddresses: true })): BitbucketCloudAdapter {
  const token = sim.tokens[name] ?? '';
  const email = EMAILS[name.replace(/^bbc-/, '').split('-')[0]] ?? null;
  const apiBaseUrl = bitbucketCloudApiBaseUrl(sim.bitbucketCloud.gitUrl);
  const fetch = withAuthorization(base, bitbucketCloudAuthorization(token, email), [new URL(apiBaseUrl).origin]);
  const shape = classifyBitbucketCloudSecret(token);
  return new BitbucketCloudAdapter({ apiBaseUrl, fetch }, shape === 'access-token' ? { tokenFingerprint: bitbucketCloudTokenFingerprint(token, FINGERPRINT_KEY) } : {});
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('BitbucketCloudAdapter against the simulator', () => {
  let sim: RunningSimulator;
  let host: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
    host = new URL(sim.bitbucketCloud.apiUrl).host;
  }, 60_000);
  afterAll(() => sim?.close());

  it('identifies an API token by its user, with its scopes; two tokens of one user share the identity', async () => {
    const [a, b] = await Promise.all([adapterFor(sim, 'bbc-alice').identify(), adapterFor(sim, 'bbc-alice-2').identify()]);
    expect(a).toMatchObject({ provider: 'bitbucket-cloud', host, login: 'alice', tokenKind: 'api-token', rateLimit: null });
    expect(a.key).toBe(`bitbucket-cloud:${host}:user:${a.accountId}`);
    expect(a.accountId).toMatch(/^\{[0-9a-f-]{36}\}$/);
    expect(a.scopes).toEqual(expect.arrayContaining(['read:repository:bitbucket', 'read:pullrequest:bitbucket', 'read:issue:bitbucket']));
    expect(b.key).toBe(a.key);
    expect((await adapterFor(sim, 'bbc-bob').identify()).key).not.toBe(a.key);
  });

  it('identifies access tokens as themselves, by a keyed fingerprint the seam computes (never the secret)', async () => {
    const repo = await adapterFor(sim, 'bbc-repo-token').identify();
    const workspace = await adapterFor(sim, 'bbc-workspace-token').identify();
    const project = await adapterFor(sim, 'bbc-project-token').identify();
    expect(repo).toMatchObject({ tokenKind: 'repository-access-token', scopes: ['repository', 'pullrequest'] });
    expect(workspace.tokenKind).toBe('workspace-access-token');
    expect(project.tokenKind).toBe('project-access-token');
    expect(repo.key).toBe(`bitbucket-cloud:${host}:access-token:${bitbucketCloudTokenFingerprint(sim.tokens['bbc-repo-token'], FINGERPRINT_KEY)}`);
    expect(new Set([repo.key, workspace.key, project.key]).size).toBe(3);
    expect(repo.key).not.toContain(sim.tokens['bbc-repo-token']);
    expect((await adapterFor(sim, 'bbc-repo-token').identify()).key).toBe(repo.key);
    const token = sim.tokens['bbc-repo-token'];
    const withoutFingerprint = new BitbucketCloudAdapter({
      apiBaseUrl: bitbucketCloudApiBaseUrl(sim.bitbucketCloud.gitUrl),
      fetch: withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), `Bearer ${token}`, [new URL(sim.bitbucketCloud.apiUrl).origin]),
    });
    await expect(withoutFingerprint.identify()).rejects.toBeInstanceOf(BitbucketCloudIdentityError);
  });

  it('refuses an app password by its shape, and explains a 401 with the 2026-07-28 end of app passwords', async () => {
    const appPassword = sim.tokens['bbc-erin-app-password'];
    const refusal = bitbucketCloudCredentialPolicy.beforeIdentify(appPassword, 'additional');
    expect(refusal?.code).toBe('app-password-not-supported');
    expect(refusal?.detail).toMatch(/2026-07-28/);
    expect(refusal?.detail).toMatch(/API token/);
    expect(bitbucketCloudCredentialPolicy.beforeIdentify(sim.tokens['bbc-alice'], 'main')).toBeNull();
    expect(bitbucketCloudCredentialPolicy.beforeIdentify(sim.tokens['bbc-repo-token'], 'additional')).toBeNull();
    const adapter = new BitbucketCloudAdapter({
      apiBaseUrl: bitbucketCloudApiBaseUrl(sim.bitbucketCloud.gitUrl),
      fetch: withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), `Basic ${Buffer.from(`erin:${appPassword}`).toString('base64')}`, [new URL(sim.bitbucketCloud.apiUrl).origin]),
    });
    const error = await adapter.identify().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialRejectedError);
    expect((error as Error).message).toMatch(/2026-07-28/);
  });

  it('gives a token without pull request read git-only capabilities, and refuses one without repository read', async () => {
    const gitOnly = await adapterFor(sim, 'bbc-dave-git-only').identify();
    const adapter = adapterFor(sim, 'bbc-dave-git-only');
    expect(adapter.capabilitiesOf(gitOnly)).toEqual({ git: true, metadata: false });
    expect(bitbucketCloudCredentialPolicy.afterIdentify(gitOnly, 'additional')).toBeNull();
    const full = await adapterFor(sim, 'bbc-bob').identify();
    expect(adapter.capabilitiesOf(full)).toEqual({ git: true, metadata: true });
    const repoToken = await adapterFor(sim, 'bbc-repo-token').identify();
    expect(adapter.capabilitiesOf(repoToken)).toEqual({ git: true, metadata: true });
    const projectToken = await adapterFor(sim, 'bbc-project-token').identify();
    expect(adapter.capabilitiesOf(projectToken)).toEqual({ git: true, metadata: true });
    const noRepo: CredentialIdentity = { ...gitOnly, scopes: ['read:user:bitbucket', 'read:pullrequest:bitbucket'] };
    expect(bitbucketCloudCredentialPolicy.afterIdentify(noRepo, 'main')?.code).toBe('missing-scopes');
    expect(bitbucketCloudCredentialPolicy.afterIdentify({ ...repoToken, scopes: ['webhook'] }, 'main')?.code).toBe('missing-scopes');
    expect(bitbucketCloudCredentialPolicy.afterIdentify({ ...gitOnly, tokenKind: 'app-password' }, 'main')?.detail).toMatch(/2026-07-28/);
  });

  it('checks workspace access: members and the workspace access tokens yes, outsiders no', async () => {
    const alice = adapterFor(sim, 'bbc-alice');
    expect(await alice.checkOrganizationAccess('acme-ws', await alice.identify())).toEqual({ hasAccess: true, canonicalName: 'acme-ws' });
    const mallory = adapterFor(sim, 'bbc-mallory');
    expect((await mallory.checkOrganizationAccess('acme-ws', await mallory.identify())).hasAccess).toBe(false);
    const token = adapterFor(sim, 'bbc-workspace-token');
    expect((await token.checkOrganizationAccess('acme-ws', await token.identify())).hasAccess).toBe(true);
    expect((await alice.checkOrganizationAccess('no-such-ws', await alice.identify())).hasAccess).toBe(false);
  });

  it('lists every repository the credential sees, with clean clone URLs', async () => {
    const repos = await collect(adapterFor(sim, 'bbc-alice').listRepositories('acme-ws'));
    expect(repos.map((r) => r.name)).toEqual(sim.listRepositories('acme-ws'));
    expect(repos[0]).toMatchObject({ fullName: 'acme-ws/repo-0001', defaultBranch: 'main', private: false, cloneUrl: `${sim.bitbucketCloud.gitUrl}/acme-ws/repo-0001.git` });
    expect(repos.find((r) => r.name === 'repo-0003')?.private).toBe(true);
    expect(repos.find((r) => r.name === 'repo-0007')?.hasWiki).toBe(true);
    expect((await collect(adapterFor(sim, 'bbc-repo-token').listRepositories('acme-ws'))).map((r) => r.name)).toEqual(['repo-0001']);
  });

  it('exports metadata whose counts equal the simulator’s (pull requests, their comments, issues, comments, downloads with bytes)', async () => {
    const adapter = adapterFor(sim, 'bbc-alice');
    for (const name of ['repo-0002', 'repo-0005', 'repo-0010']) {
      const sink = new MemorySink();
      const counts = await adapter.exportMetadata(`acme-ws/${name}`, { kinds: METADATA_KINDS, assets: true }, sink);
      const expected = sim.repository('acme-ws', name).bitbucketCloud;
      expect(counts).toEqual({
        'pull-requests': expected?.pullRequests,
        'review-comments': expected?.pullRequestComments,
        issues: expected?.issues,
        'issue-comments': expected?.issueComments,
        'release-assets': expected?.downloads,
        reviews: 0,
        releases: 0,
        labels: 0,
        milestones: 0,
      });
      expect(sink.counts()).toEqual(Object.fromEntries(Object.entries(counts).filter(([, n]) => (n ?? 0) > 0)));
      for (const asset of sink.of('release-assets')) expect(asset['repovault_bytes']).toBe(asset['size']);
    }
    expect(sim.repository('acme-ws', 'repo-0005').bitbucketCloud?.issues).toBe(0);
    const gitOnly = adapterFor(sim, 'bbc-dave-git-only');
    await expect(gitOnly.exportMetadata('acme-ws/repo-0002', { kinds: ['pull-requests'], assets: false }, new MemorySink())).rejects.toThrow(/read:pullrequest:bitbucket/);
  });

  it('exports only what changed with updatedSince (q=updated_on>…), an adapter-specific option', async () => {
    const adapter = adapterFor(sim, 'bbc-bob');
    const since = new Date(Date.now() - 1000);
    const options: BitbucketCloudExportOptions = { kinds: METADATA_KINDS, assets: false, updatedSince: since.toISOString() };
    expect(await adapter.exportMetadata('acme-ws/repo-0004', options, new MemorySink())).toMatchObject({ 'pull-requests': 0, issues: 0, 'review-comments': 0, 'issue-comments': 0 });
    const full = new MemorySink();
    await adapter.exportMetadata('acme-ws/repo-0004', { kinds: ['pull-requests', 'issues'], assets: false }, full);
    const pull = full.of('pull-requests')[0]?.['id'] as number;
    const issue = full.of('issues')[0]?.['id'] as number;
    sim.addIssueComment('acme-ws', 'repo-0004', pull, 'a new pull request comment');
    sim.addIssueComment('acme-ws', 'repo-0004', issue, 'a new issue comment');
    const sink = new MemorySink();
    await adapter.exportMetadata('acme-ws/repo-0004', options, sink);
    expect(sink.of('pull-requests').map((p) => p['id'])).toEqual([pull]);
    expect(sink.of('issues').map((i) => i['id'])).toEqual([issue]);
    expect(sink.of('review-comments').every((c) => (c['pullrequest'] as { id: number }).id === pull)).toBe(true);
    expect(sink.of('issue-comments').map((c) => (c['content'] as { raw: string }).raw)).toContain('a new issue comment');
    // A repository's updated_on moves with pushes, not with comments.
    await sim.addCommits('acme-ws', 'repo-0006', { branch: 'main', count: 1 });
    expect((await collect(adapter.listRepositories('acme-ws', { updatedSince: since }))).map((r) => r.name)).toEqual(['repo-0006']);
  });

  it('costs one call for an unchanged repository without an issue tracker when the listing said so; downloads wait for a full export', async () => {
    const urls: string[] = [];
    const egress = createEgressFetch({ allowPrivateAddresses: true });
    const adapter = adapterFor(sim, 'bbc-bob', (url, init) => {
      urls.push(url);
      return egress(url, init);
    });
    const since = new Date(Date.now() - 1000).toISOString();
    await adapter.exportMetadata('acme-ws/repo-0005', { kinds: METADATA_KINDS, assets: true, updatedSince: since, repositoryHasIssues: false }, new MemorySink());
    expect(urls.map((u) => new URL(u).pathname)).toEqual(['/2.0/repositories/acme-ws/repo-0005/pullrequests']);
    urls.length = 0;
    await adapter.exportMetadata('acme-ws/repo-0008', { kinds: ['issues', 'issue-comments'], assets: false, updatedSince: since, repositoryHasIssues: true }, new MemorySink());
    expect(urls.map((u) => new URL(u).pathname)).toEqual(['/2.0/repositories/acme-ws/repo-0008/issues']);
  });

  it('reads budgets from headers: access tokens get limit and near-limit, nobody a remaining count', async () => {
    const headers = new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-resource': 'api', 'x-ratelimit-nearlimit': 'false' });
    expect(bitbucketCloudBudgetFrom(200, headers)).toEqual({ limit: 1000, resource: 'api', nearLimit: false });
    expect(bitbucketCloudBudgetFrom(429, { 'retry-after': '7' })).toEqual({ retryAfterMs: 7000 });
    expect(bitbucketCloudBudgetFrom(200, {})).toEqual({});
    expect(bitbucketCloudResourceOf('/2.0/repositories/acme-ws/repo-0001/pullrequests')).toBe('api');
    expect(bitbucketCloudResourceOf('/2.0/repositories/acme-ws')).toBe('api');
    expect(bitbucketCloudResourceOf('/2.0/user')).toBe('core');
    expect(bitbucketCloudResourceOf('/2.0/workspaces/acme-ws')).toBe('core');
  });

  it('builds the base URL and authorization headers of each credential kind', () => {
    expect(bitbucketCloudApiBaseUrl(undefined)).toBe('https://api.bitbucket.org/2.0');
    expect(bitbucketCloudApiBaseUrl('https://bitbucket.org')).toBe('https://api.bitbucket.org/2.0');
    expect(bitbucketCloudApiBaseUrl('http://127.0.0.1:9999')).toBe('http://127.0.0.1:9999/2.0');
    expect(bitbucketCloudApiBaseUrl('http://127.0.0.1:9999/2.0/')).toBe('http://127.0.0.1:9999/2.0');
    const decode = (header: string): string => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(decode(bitbucketCloudAuthorization('ATATT3xFfGF0abc', 'alice@example.com'))).toBe('alice@example.com:ATATT3xFfGF0abc');
    expect(bitbucketCloudAuthorization('ATCTT3xFfGN0abc', null)).toBe('Bearer ATCTT3xFfGN0abc');
    expect(() => bitbucketCloudAuthorization('ATATT3xFfGF0abc', null)).toThrow(/email/);
    expect(decode(bitbucketCloudGitAuthorization('ATATT3xFfGF0abc'))).toBe('x-bitbucket-api-token-auth:ATATT3xFfGF0abc');
    expect(decode(bitbucketCloudGitAuthorization('ATCTT3xFfGN0abc'))).toBe('x-token-auth:ATCTT3xFfGN0abc');
    expect(classifyBitbucketCloudSecret('ATBB1234567890abcdefghij12345678')).toBe('app-password');
  });

  it('clones with the git authorization helpers (http.extraHeader), and fails with a wrong token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bbc-adapter-git-'));
    const clone = (authorization: string, target: string): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = spawn('git', ['-c', `http.extraHeader=Authorization: ${authorization}`, 'clone', '--mirror', `${sim.bitbucketCloud.gitUrl}/acme-ws/repo-0003.git`, join(dir, target)], {
          env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
    try {
      expect(await clone(bitbucketCloudGitAuthorization(sim.tokens['bbc-carol']), 'api-token.git')).toBe(0);
      expect(await clone(bitbucketCloudGitAuthorization(sim.tokens['bbc-project-token']), 'access-token.git')).toBe(0);
      expect(await clone(bitbucketCloudGitAuthorization('ATATT3xFfGF0wrong'), 'wrong.git')).not.toBe(0);
      expect(await clone(bitbucketCloudGitAuthorization(sim.tokens['bbc-mallory']), 'outsider.git')).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('BitbucketCloudAdapter pagination and refusals', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        seed: 'bbc-pages',
        users: [],
        organizations: [],
        bitbucketCloud: {
          users: [{ login: 'alice', tokens: [{ name: 'bbc-alice' }] }],
          workspaces: [{ slug: 'big', owners: ['alice'], generate: { count: 230, template: { branches: 0, commitsPerBranch: 1, tags: 0, metadata: { issues: 0, pulls: 0, releases: 0 } } } }],
        },
      },
      timeScale: 100,
      bitbucketCloud: { repositoriesLimit: 4 },
    });
  }, 60_000);
  afterAll(() => sim?.close());

  it('follows `next` through every page, then reports the rolling-hour refusal with its Retry-After', async () => {
    const { fetch, requests } = recordingFetch(createEgressFetch({ allowPrivateAddresses: true }));
    const adapter = adapterFor(sim, 'bbc-alice', fetch);
    const repos = await collect(adapter.listRepositories('big'));
    expect(repos).toHaveLength(230);
    expect(new Set(repos.map((r) => r.name)).size).toBe(230);
    expect(requests.map((r) => new URL(r.url).searchParams.get('page'))).toEqual([null, '2', '3']);
    await collect(adapter.listRepositories('big')).catch(() => undefined);
    const error = await collect(adapter.listRepositories('big')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect((error as UpstreamRateLimitedError).retryAfterMs).toBeGreaterThan(0);
    expect(sim.stats().identities[sim.identityOf(sim.tokens['bbc-alice'])].refusals).toBeGreaterThanOrEqual(1);
  });
});
