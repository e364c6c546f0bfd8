import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialRejectedError, METADATA_KINDS, type ProviderFetch, UpstreamRateLimitedError, createEgressFetch, withAuthorization } from '@repovault/providers/core';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import {
  BitbucketDcAdapter, bitbucketDcApiBaseUrl, bitbucketDcAuthorization, bitbucketDcBudgetFrom, bitbucketDcCredentialPolicy, bitbucketDcGitAuthorization,
  bitbucketDcResourceOf, isBitbucketDcToken,
} from '../src';
import { MemorySink, loadSpec, recordingFetch, skippedBanner, type OpenApi, type RecordedRequest, templateOf, undocumented } from '@repovault/testing/support';

function adapterFor(sim: RunningSimulator, name: string, base: ProviderFetch = createEgressFetch({ allowPrivateAddresses: true }), authorization?: string): BitbucketDcAdapter {
  const apiBaseUrl = bitbucketDcApiBaseUrl(sim.bitbucketDc.baseUrl);
  return new BitbucketDcAdapter({ apiBaseUrl, fetch: withAuthorization(base, authorization ?? bitbucketDcAuthorization(sim.tokens[name] ?? ''), [new URL(apiBaseUrl).origin]) });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('BitbucketDcAdapter against the simulator', () => {
  let sim: RunningSimulator;
  let host: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
    host = new URL(sim.bitbucketDc.baseUrl).host;
  }, 60_000);
  afterAll(() => sim?.close());

  it('identifies a personal token as its user; two tokens of one user share the identity', async () => {
    const [a, b] = await Promise.all([adapterFor(sim, 'bbdc-alice').identify(), adapterFor(sim, 'bbdc-alice-2').identify()]);
    expect(a).toMatchObject({ provider: 'bitbucket-dc', host, login: 'alice', tokenKind: 'personal-token', scopes: ['PROJECT_READ', 'REPO_READ'], key: `bitbucket-dc:${host}:user:alice` });
    expect(a.rateLimit).toMatchObject({ limit: 60, resource: 'api' });
    expect(b.key).toBe(a.key);
  });

  it('identifies project and repository tokens as themselves (their service users)', async () => {
    const project = await adapterFor(sim, 'bbdc-project-eng').identify();
    const repo = await adapterFor(sim, 'bbdc-repo-eng').identify();
    expect(project).toMatchObject({ tokenKind: 'project-or-repository-token', scopes: ['PROJECT_READ', 'REPO_READ'] });
    expect(project.key).toMatch(new RegExp(`^bitbucket-dc:${host.replace(/[.]/g, '\\.')}:token-user:\\d+$`));
    expect(repo).toMatchObject({ tokenKind: 'project-or-repository-token', scopes: ['REPO_READ'] });
    expect(repo.key).not.toBe(project.key);
    expect((await adapterFor(sim, 'bbdc-project-eng').identify()).key).toBe(project.key);
  });

  it('needs project read: a repository token is refused, and has no access to the project', async () => {
    const repoToken = adapterFor(sim, 'bbdc-repo-eng');
    const identity = await repoToken.identify();
    expect(bitbucketDcCredentialPolicy.afterIdentify(identity, 'additional')?.code).toBe('missing-permissions');
    expect((await repoToken.checkOrganizationAccess('ENG', identity)).hasAccess).toBe(false);
    const alice = adapterFor(sim, 'bbdc-alice');
    const aliceIdentity = await alice.identify();
    expect(bitbucketDcCredentialPolicy.afterIdentify(aliceIdentity, 'main')).toBeNull();
    expect(await alice.checkOrganizationAccess('ENG', aliceIdentity)).toEqual({ hasAccess: true, canonicalName: 'ENG' });
    const project = adapterFor(sim, 'bbdc-project-eng');
    expect((await project.checkOrganizationAccess('ENG', await project.identify())).hasAccess).toBe(true);
    const mallory = adapterFor(sim, 'bbdc-mallory');
    const malloryIdentity = await mallory.identify();
    expect(malloryIdentity.scopes).toEqual([]);
    expect(bitbucketDcCredentialPolicy.afterIdentify(malloryIdentity, 'main')?.code).toBe('missing-permissions');
    expect((await mallory.checkOrganizationAccess('ENG', malloryIdentity)).hasAccess).toBe(false);
    expect(bitbucketDcCredentialPolicy.beforeIdentify(sim.tokens['bbdc-alice'], 'main')).toBeNull();
    expect(bitbucketDcCredentialPolicy.beforeIdentify('hunter2', 'main')?.code).toBe('unsupported-credential');
  });

  it('takes project tokens as Bearer only: a Basic attempt is rejected', async () => {
    const basic = `Basic ${Buffer.from(`x-token-auth:${sim.tokens['bbdc-project-eng']}`).toString('base64')}`;
    await expect(adapterFor(sim, 'bbdc-project-eng', undefined, basic).identify()).rejects.toBeInstanceOf(CredentialRejectedError);
    await expect(adapterFor(sim, 'x', undefined, 'Bearer BBDC-nope').identify()).rejects.toBeInstanceOf(CredentialRejectedError);
    expect(isBitbucketDcToken(sim.tokens['bbdc-project-eng'])).toBe(true);
  });

  it('lists the repositories of the project, clone URLs without user names', async () => {
    const repos = await collect(adapterFor(sim, 'bbdc-bob').listRepositories('ENG'));
    expect(repos.map((r) => r.name)).toEqual(sim.listRepositories('ENG'));
    expect(repos[0]).toMatchObject({ fullName: 'ENG/repo-0001', private: true, cloneUrl: `${sim.bitbucketDc.baseUrl}/scm/eng/repo-0001.git` });
    expect((await collect(adapterFor(sim, 'bbdc-repo-eng').listRepositories('ENG'))).map((r) => r.name)).toEqual(['repo-0001']);
  });

  it('exports pull requests, review comments and reviews whose counts equal the simulator’s', async () => {
    const adapter = adapterFor(sim, 'bbdc-carol');
    for (const name of ['repo-0002', 'repo-0010']) {
      const sink = new MemorySink();
      const counts = await adapter.exportMetadata(`ENG/${name}`, { kinds: METADATA_KINDS, assets: true }, sink);
      const expected = sim.repository('ENG', name).bitbucketDc;
      expect(counts).toEqual({
        'pull-requests': expected?.pullRequests,
        'review-comments': expected?.comments,
        reviews: expected?.reviews,
        issues: 0,
        'issue-comments': 0,
        releases: 0,
        'release-assets': 0,
        labels: 0,
        milestones: 0,
      });
      expect(sink.of('review-comments').every((c) => typeof c['pull_request_id'] === 'number' && c['action'] === 'COMMENTED')).toBe(true);
    }
  });

  it('reads the bucket headers', () => {
    const budget = bitbucketDcBudgetFrom(429, { 'x-ratelimit-limit': '60', 'x-ratelimit-remaining': '0', 'x-ratelimit-interval-seconds': '1', 'x-ratelimit-fillrate': '5', 'retry-after': '1' }, 1_000_000);
    expect(budget).toEqual({ limit: 60, remaining: 0, refillPerMs: 0.005, resetAt: 1_000_000 + 12_000, retryAfterMs: 1000 });
    expect(bitbucketDcBudgetFrom(200, {})).toEqual({});
    expect(bitbucketDcResourceOf()).toBe('api');
    expect(bitbucketDcApiBaseUrl('https://bitbucket.example.com/context/')).toBe('https://bitbucket.example.com/context/rest/api/latest');
    expect(bitbucketDcApiBaseUrl('https://bitbucket.example.com/rest/api/1.0')).toBe('https://bitbucket.example.com/rest/api/latest');
    expect(() => bitbucketDcApiBaseUrl(null)).toThrow(/base URL/);
  });

  it('clones with the git authorization helper (http.extraHeader Bearer) for every token kind; a wrong token fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bbdc-adapter-git-'));
    const clone = (authorization: string, target: string): Promise<number | null> =>
      new Promise((resolve, reject) => {
        const child = spawn('git', ['-c', `http.extraHeader=Authorization: ${authorization}`, 'clone', '--mirror', `${sim.bitbucketDc.baseUrl}/scm/eng/repo-0001.git`, join(dir, target)], {
          env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' },
          stdio: 'ignore',
        });
        child.on('error', reject);
        child.on('close', resolve);
      });
    try {
      for (const name of ['bbdc-alice', 'bbdc-project-eng', 'bbdc-repo-eng']) expect(await clone(bitbucketDcGitAuthorization(sim.tokens[name]), `${name}.git`)).toBe(0);
      expect(await clone(bitbucketDcGitAuthorization('BBDC-wrong'), 'wrong.git')).not.toBe(0);
      expect(await clone(bitbucketDcGitAuthorization(sim.tokens['bbdc-mallory']), 'outsider.git')).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('BitbucketDcAdapter paging and refusals', () => {
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        seed: 'bbdc-pages',
        users: [],
        organizations: [],
        bitbucketDc: {
          users: [{ login: 'alice', tokens: [{ name: 'bbdc-alice' }] }],
          projects: [{ key: 'BIG', owners: ['alice'], generate: { count: 230, template: { branches: 0, commitsPerBranch: 1, tags: 0, metadata: { issues: 0, pulls: 0, releases: 0 } } } }],
        },
      },
      timeScale: 0.1,
      bitbucketDc: { capacity: 5, refillPerSecond: 1 },
    });
  }, 60_000);
  afterAll(() => sim?.close());

  it('continues from nextPageStart until isLastPage, then reports the bucket refusal with its Retry-After', async () => {
    const { fetch, requests } = recordingFetch(createEgressFetch({ allowPrivateAddresses: true }));
    const adapter = adapterFor(sim, 'bbdc-alice', fetch);
    const repos = await collect(adapter.listRepositories('BIG'));
    expect(repos).toHaveLength(230);
    expect(new Set(repos.map((r) => r.name)).size).toBe(230);
    expect(requests.map((r) => new URL(r.url).searchParams.get('start'))).toEqual(['0', '100', '200']);
    const error = await collect(adapter.listRepositories('BIG')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect((error as UpstreamRateLimitedError).retryAfterMs).toBe(10_000);
  });
});

const FILE = 'bitbucket-datacenter.openapi.json';
const spec = loadSpec(FILE);
if (!spec) skippedBanner(FILE, 'Every request of the Bitbucket Data Center adapter');

(spec ? describe : describe.skip)("the Data Center adapter's requests against Data Center's OpenAPI description", () => {
  const description = spec as OpenApi;
  let sim: RunningSimulator;

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
  }, 60_000);
  afterAll(() => sim?.close());

  it('makes only requests Data Center documents (method, path template, query parameters)', async () => {
    const requests: RecordedRequest[] = [];
    for (const name of ['bbdc-alice', 'bbdc-project-eng', 'bbdc-repo-eng']) {
      const recorder = recordingFetch(createEgressFetch({ allowPrivateAddresses: true }));
      const adapter = adapterFor(sim, name, recorder.fetch);
      const identity = await adapter.identify();
      await adapter.checkOrganizationAccess('ENG', identity);
      await collect(adapter.listRepositories('ENG'));
      await adapter.exportMetadata('ENG/repo-0001', { kinds: METADATA_KINDS, assets: true }, new MemorySink());
      requests.push(...recorder.requests);
    }
    // The description's server is http://{baseurl}/rest.
    const paths = requests.map((r) => {
      const url = new URL(r.url);
      expect(url.pathname.startsWith('/rest/api/latest/')).toBe(true);
      return { method: r.method, path: url.pathname.slice('/rest'.length), query: [...url.searchParams.keys()] };
    });
    expect(paths.map((p) => undocumented(description, p.method, p.path, p.query)).filter((p) => p !== null)).toEqual([]);
    expect([...new Set(paths.map((p) => templateOf(description, p.path)))].sort()).toEqual([
      '/api/latest/projects',
      '/api/latest/projects/{projectKey}',
      '/api/latest/projects/{projectKey}/repos',
      '/api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests',
      '/api/latest/projects/{projectKey}/repos/{repositorySlug}/pull-requests/{pullRequestId}/activities',
      '/api/latest/repos',
      '/api/latest/users/{userSlug}',
    ]);
  }, 60_000);

  it('would catch an invented endpoint, a wrong method or an undocumented parameter', () => {
    expect(undocumented(description, 'GET', '/api/latest/projects/P/repos/r/issues', [])).toMatch(/no such path/);
    expect(undocumented(description, 'DELETE', '/api/latest/repos', [])).toMatch(/no such method/);
    expect(undocumented(description, 'GET', '/api/latest/projects/P/repos', ['start', 'limit', 'since'])).toMatch(/since/);
  });
});
