import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CredentialRejectedError, METADATA_KINDS, type MetadataKind, type ProviderFetch, UpstreamNotFoundError, UpstreamRateLimitedError,
  UpstreamUnavailableError, createEgressFetch, withAuthorization,
} from '@repovault/providers/core';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { GITHUB_EXPORT_FIELDS, GitHubAdapter, githubApiBaseUrl, githubAuthorization } from '../src';
import { MemorySink, type RecordedRequest, expectedCounts, recordingFetch } from './metadata-test-support';

const ALL = METADATA_KINDS;

/** Request counts per documented path template (owner/repo and numbers folded). */
function byTemplate(requests: RecordedRequest[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of requests) {
    const path = new URL(r.url).pathname
      .replace(/^\/api\/v3/, '')
      .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{owner}/{repo}')
      .replace(/\/pulls\/\d+\//, '/pulls/{pull_number}/')
      .replace(/\/releases\/assets\/\d+$/, '/releases/assets/{asset_id}');
    out[path] = (out[path] ?? 0) + 1;
  }
  return out;
}

describe('GitHubAdapter.exportMetadata against the simulator', () => {
  let sim: RunningSimulator;
  let apiBaseUrl: string;
  const egress = createEgressFetch({ allowPrivateAddresses: true });

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
    apiBaseUrl = githubApiBaseUrl(sim.github.baseUrl);
    // more than one page of issues, pull requests, comments, review comments and labels
    await sim.addRepository('acme', {
      name: 'meta-big',
      branches: 2,
      tags: 3,
      metadata: { issues: 250, pulls: 110, commentsPerIssue: 1, reviewsPerPull: 1, reviewCommentsPerPull: 1, releases: 3, assetsPerRelease: 2, labels: 105, milestones: 3 },
    });
    // one pull request with more than one page of reviews
    await sim.addRepository('acme', { name: 'meta-reviews', private: true, metadata: { issues: 0, pulls: 1, reviewsPerPull: 150, releases: 0 } });
    await sim.addRepository('acme', {
      name: 'meta-empty',
      branches: 0,
      tags: 0,
      metadata: { issues: 0, pulls: 0, commentsPerIssue: 0, releases: 0, labels: 0, milestones: 0 },
    });
  }, 120_000);
  afterAll(async () => {
    await sim.close();
  });

  function token(name = 'alice'): string {
    const value = sim.tokens[name];
    if (!value) throw new Error(`no token ${name}`);
    return value;
  }

  /** adapter → recording fetch (what the adapter itself sends) → transport seam (authorization) → network */
  function setup(options: { token?: string; inner?: ProviderFetch; timeline?: string[] } = {}) {
    const seam = withAuthorization(options.inner ?? egress, githubAuthorization(options.token ?? token()), [new URL(apiBaseUrl).origin]);
    const recorder = recordingFetch(seam, options.timeline);
    return { adapter: new GitHubAdapter({ apiBaseUrl, fetch: recorder.fetch }), requests: recorder.requests };
  }

  async function assetBytes(owner: string, repo: string, assetId: string): Promise<Buffer> {
    const response = await egress(`${apiBaseUrl}/repos/${owner}/${repo}/releases/assets/${assetId}`, {
      headers: { authorization: githubAuthorization(token()), accept: 'application/octet-stream' },
    });
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it.each(['repo-0001', 'repo-0003', 'repo-0010', 'repo-0014', 'meta-big', 'meta-reviews', 'meta-empty'])(
    'exports every kind of acme/%s with the counts the simulator holds',
    async (name) => {
      const { adapter } = setup();
      const sink = new MemorySink();
      const counts = await adapter.exportMetadata(`acme/${name}`, { kinds: ALL, assets: false }, sink);
      const expected = expectedCounts(sim.repository('acme', name).metadataCounts);
      expect(counts).toEqual(expected);
      expect({ ...expected, ...sink.counts() }).toEqual(expected); // kinds with no record are absent from the sink
      expect(sink.of('issues').every((i) => !('pull_request' in i))).toBe(true);
      expect(new Set(sink.of('issues').map((i) => i['id'])).size).toBe(expected.issues);
      expect(new Set(sink.of('issue-comments').map((c) => c['id'])).size).toBe(expected['issue-comments']);
    },
  );

  it('makes one request per listing page, one per pull request for reviews and one per asset (demo repositories)', async () => {
    for (const name of ['repo-0001', 'repo-0002', 'repo-0003']) {
      const { adapter, requests } = setup();
      const c = expectedCounts(sim.repository('acme', name).metadataCounts);
      await adapter.exportMetadata(`acme/${name}`, { kinds: ALL, assets: true }, new MemorySink());
      const t = byTemplate(requests);
      expect(t).toEqual({
        '/repos/{owner}/{repo}/issues': 1,
        '/repos/{owner}/{repo}/pulls': 1,
        '/repos/{owner}/{repo}/pulls/{pull_number}/reviews': c['pull-requests'],
        '/repos/{owner}/{repo}/issues/comments': 1,
        '/repos/{owner}/{repo}/pulls/comments': 1,
        '/repos/{owner}/{repo}/releases': 1,
        '/repos/{owner}/{repo}/releases/assets/{asset_id}': c['release-assets'],
        '/repos/{owner}/{repo}/labels': 1,
        '/repos/{owner}/{repo}/milestones': 1,
      });
      expect(requests).toHaveLength(7 + c['pull-requests'] + c['release-assets']);
      expect(requests.every((r) => r.method === 'GET')).toBe(true);
    }
  });

  it('follows link pagination with per_page=100 and never builds page URLs', async () => {
    const { adapter, requests } = setup();
    const c = expectedCounts(sim.repository('acme', 'meta-big').metadataCounts);
    await adapter.exportMetadata('acme/meta-big', { kinds: ALL, assets: false }, new MemorySink());
    const t = byTemplate(requests);
    const pages = (n: number): number => Math.max(1, Math.ceil(n / 100));
    expect(t['/repos/{owner}/{repo}/issues']).toBe(pages(c.issues + c['pull-requests']));
    expect(t['/repos/{owner}/{repo}/pulls']).toBe(pages(c['pull-requests']));
    expect(t['/repos/{owner}/{repo}/issues/comments']).toBe(pages(c['issue-comments']));
    expect(t['/repos/{owner}/{repo}/pulls/comments']).toBe(pages(c['review-comments']));
    expect(t['/repos/{owner}/{repo}/labels']).toBe(pages(c.labels));
    expect(t['/repos/{owner}/{repo}/pulls/{pull_number}/reviews']).toBe(c['pull-requests']);
    expect(t['/repos/{owner}/{repo}/issues']).toBeGreaterThan(1);
    // first pages carry per_page=100; later pages are exactly the URLs GitHub put in `link`
    for (const r of requests) expect(new URL(r.url).searchParams.get('per_page')).toBe('100');
    expect(requests.filter((r) => new URL(r.url).searchParams.has('page')).length).toBeGreaterThan(0);

    const reviews = setup();
    const sink = new MemorySink();
    const counts = await reviews.adapter.exportMetadata('acme/meta-reviews', { kinds: ['reviews'], assets: false }, sink);
    expect(counts).toEqual({ reviews: 150 });
    expect(byTemplate(reviews.requests)['/repos/{owner}/{repo}/pulls/{pull_number}/reviews']).toBe(2);
  });

  it('streams records to the sink as pages arrive', async () => {
    const timeline: string[] = [];
    const { adapter } = setup({ timeline });
    await adapter.exportMetadata('acme/meta-big', { kinds: ['issues'], assets: false }, new MemorySink(timeline));
    const issueRequests = timeline.flatMap((e, i) => (e.startsWith('request ') ? [i] : []));
    expect(issueRequests.length).toBeGreaterThan(1);
    const firstRecord = timeline.indexOf('record issues');
    expect(firstRecord).toBeGreaterThan(issueRequests[0] ?? -1);
    expect(firstRecord).toBeLessThan(issueRequests[1] ?? -1);
  });

  it('adds the pull request number to reviews and the release id to assets', async () => {
    const { adapter } = setup();
    const sink = new MemorySink();
    await adapter.exportMetadata('acme/meta-big', { kinds: ['pull-requests', 'reviews', 'releases', 'release-assets'], assets: false }, sink);
    const pullNumbers = new Set(sink.of('pull-requests').map((p) => p['number']));
    for (const review of sink.of('reviews')) {
      expect(pullNumbers.has(review[GITHUB_EXPORT_FIELDS.pullNumber])).toBe(true);
      expect(String(review['pull_request_url'])).toMatch(new RegExp(`/pulls/${String(review[GITHUB_EXPORT_FIELDS.pullNumber])}$`));
    }
    const releaseIds = new Set(sink.of('releases').map((r) => r['id']));
    for (const asset of sink.of('release-assets')) {
      expect(releaseIds.has(asset[GITHUB_EXPORT_FIELDS.releaseId])).toBe(true);
      expect(asset).not.toHaveProperty(GITHUB_EXPORT_FIELDS.sha256); // bytes not asked for
    }
    expect(sink.of('release-assets')).toHaveLength(6);
  });

  it('streams asset bytes to the sink and records their sha256 and size', async () => {
    const { adapter, requests } = setup();
    const sink = new MemorySink();
    const counts = await adapter.exportMetadata('acme/meta-big', { kinds: ['release-assets'], assets: true }, sink);
    expect(counts).toEqual({ 'release-assets': 6 });
    expect(sink.assets.size).toBe(6);
    for (const record of sink.of('release-assets')) {
      const id = String(record['id']);
      const served = await assetBytes('acme', 'meta-big', id);
      const sha256 = createHash('sha256').update(served).digest('hex');
      expect(sink.assets.get(id)).toMatchObject({ sha256, bytes: served.length, ref: { id, releaseId: String(record['release_id']), name: record['name'] } });
      expect(record).toMatchObject({ [GITHUB_EXPORT_FIELDS.sha256]: sha256, [GITHUB_EXPORT_FIELDS.bytes]: served.length, size: served.length });
    }
    const downloads = requests.filter((r) => /\/releases\/assets\/\d+$/.test(new URL(r.url).pathname));
    expect(downloads).toHaveLength(6);
    expect(downloads.every((r) => r.headers.get('accept') === 'application/octet-stream' && r.redirect === 'manual')).toBe(true);
  });

  describe('a download redirected to another host (as github.com does)', () => {
    let downloadHost: Server;
    let downloadOrigin: string;
    const stash = new Map<string, Buffer>();
    const seenByDownloadHost: Array<{ url: string; headers: IncomingHttpHeaders }> = [];

    beforeAll(async () => {
      downloadHost = createServer((req, res) => {
        seenByDownloadHost.push({ url: req.url ?? '', headers: req.headers });
        const url = new URL(req.url ?? '/', 'http://download.test');
        const key = url.pathname.split('/').pop() ?? '';
        // a second hop, like a CDN in front of storage
        if (url.pathname.startsWith('/download/')) {
          res.writeHead(302, { location: `/signed/${key}?X-Signature=abc` }).end();
          return;
        }
        const bytes = stash.get(key);
        if (!bytes || url.searchParams.get('X-Signature') !== 'abc') return void res.writeHead(403).end('expired');
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) }).end(bytes);
      });
      // another loopback address: a different host from the simulator's 127.0.0.1
      await new Promise<void>((resolve) => downloadHost.listen(0, '127.0.0.2', resolve));
      downloadOrigin = `http://127.0.0.2:${(downloadHost.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => downloadHost.close(() => resolve()));
    });

    /** Answers the API's asset download with a 302 to the download host, like github.com. */
    const redirecting = (inner: ProviderFetch): ProviderFetch => async (url, init = {}) => {
      const match = /\/releases\/assets\/(\d+)$/.exec(new URL(url).pathname);
      if (!match || new Headers(init.headers).get('accept') !== 'application/octet-stream') return inner(url, init);
      expect(init.redirect).toBe('manual');
      const upstream = await inner(url, init);
      stash.set(match[1] ?? '', Buffer.from(await upstream.arrayBuffer()));
      return new Response(null, { status: 302, headers: { location: `${downloadOrigin}/download/${match[1] ?? ''}` } });
    };

    it('follows the redirects through the same fetch and sends no Authorization of its own', async () => {
      const { adapter, requests } = setup({ inner: redirecting(egress) });
      const sink = new MemorySink();
      await adapter.exportMetadata('acme/meta-big', { kinds: ['release-assets'], assets: true }, sink);
      const foreign = requests.filter((r) => r.url.startsWith(downloadOrigin));
      expect(foreign.map((r) => new URL(r.url).pathname.split('/')[1])).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? 'download' : 'signed')));
      expect(foreign.every((r) => r.redirect === 'manual' && !r.headers.has('authorization'))).toBe(true);
      expect(requests.some((r) => r.headers.has('authorization'))).toBe(false);
      for (const record of sink.of('release-assets')) {
        const id = String(record['id']);
        const sha256 = createHash('sha256').update(stash.get(id) ?? Buffer.alloc(1)).digest('hex');
        expect(record[GITHUB_EXPORT_FIELDS.sha256]).toBe(sha256);
      }
      expect(seenByDownloadHost).toHaveLength(12);
    });
  });

  describe('asks only for what the requested kinds need', () => {
    const cases: Array<[MetadataKind[], boolean, string[]]> = [
      [['issues'], false, ['/repos/{owner}/{repo}/issues']],
      [['pull-requests'], false, ['/repos/{owner}/{repo}/pulls']],
      [['reviews'], false, ['/repos/{owner}/{repo}/pulls', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews']],
      [['issue-comments'], false, ['/repos/{owner}/{repo}/issues/comments']],
      [['review-comments'], false, ['/repos/{owner}/{repo}/pulls/comments']],
      [['releases'], true, ['/repos/{owner}/{repo}/releases']],
      [['release-assets'], false, ['/repos/{owner}/{repo}/releases']],
      [['release-assets'], true, ['/repos/{owner}/{repo}/releases', '/repos/{owner}/{repo}/releases/assets/{asset_id}']],
      [['labels', 'milestones'], false, ['/repos/{owner}/{repo}/labels', '/repos/{owner}/{repo}/milestones']],
      [[], true, []],
    ];
    it.each(cases)('%j (assets: %s)', async (kinds, assets, paths) => {
      const { adapter, requests } = setup();
      const sink = new MemorySink();
      const counts = await adapter.exportMetadata('acme/repo-0002', { kinds, assets }, sink);
      expect(Object.keys(byTemplate(requests)).sort()).toEqual([...paths].sort());
      expect(Object.keys(counts).sort()).toEqual([...kinds].sort());
      expect([...sink.records.keys()].every((k) => kinds.includes(k))).toBe(true);
      const expected = expectedCounts(sim.repository('acme', 'repo-0002').metadataCounts);
      for (const kind of kinds) expect(counts[kind]).toBe(expected[kind]);
    });
  });

  it('sees a comment added between two exports', async () => {
    const { adapter } = setup();
    const first = new MemorySink();
    const before = await adapter.exportMetadata('acme/repo-0004', { kinds: ['issue-comments'], assets: false }, first);
    sim.addIssueComment('acme', 'repo-0004', 1, 'added between two exports');
    const second = new MemorySink();
    const after = await adapter.exportMetadata('acme/repo-0004', { kinds: ['issue-comments'], assets: false }, second);
    expect(after['issue-comments']).toBe((before['issue-comments'] ?? 0) + 1);
    expect(after['issue-comments']).toBe(sim.repository('acme', 'repo-0004').metadataCounts.issueComments);
    const known = new Set(first.of('issue-comments').map((c) => c['id']));
    const added = second.of('issue-comments').filter((c) => !known.has(c['id']));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ body: 'added between two exports' });
    expect(String(added[0]?.['issue_url'])).toMatch(/\/issues\/1$/);
  });

  it('exports 0 issues when GitHub answers 410 Gone (issues disabled)', async () => {
    const gone: ProviderFetch = async (url, init) => {
      const path = new URL(url).pathname;
      if (/\/issues(\/comments)?$/.test(path)) {
        return new Response(JSON.stringify({ message: 'Issues are disabled for this repo', documentation_url: 'https://docs.github.com/v3/issues/' }), {
          status: 410, headers: { 'content-type': 'application/json' },
        });
      }
      return egress(url, init);
    };
    const { adapter } = setup({ inner: gone });
    const counts = await adapter.exportMetadata('acme/repo-0002', { kinds: ['issues', 'issue-comments', 'pull-requests', 'labels'], assets: false }, new MemorySink());
    const expected = expectedCounts(sim.repository('acme', 'repo-0002').metadataCounts);
    expect(counts).toEqual({ issues: 0, 'issue-comments': 0, 'pull-requests': expected['pull-requests'], labels: expected.labels });
  });

  it('maps errors: unknown or invisible repository, rejected token, rate limit, 5xx', async () => {
    const only = { kinds: ['labels'] as MetadataKind[], assets: false };
    await expect(setup().adapter.exportMetadata('acme/no-such-repo', only, new MemorySink())).rejects.toBeInstanceOf(UpstreamNotFoundError);
    // repo-0003 is private; mallory is not a member of acme
    await expect(setup({ token: token('mallory') }).adapter.exportMetadata('acme/repo-0003', only, new MemorySink())).rejects.toBeInstanceOf(UpstreamNotFoundError);
    await expect(setup({ token: 'ghp_000000000000000000000000000000000000' }).adapter.exportMetadata('acme/repo-0001', only, new MemorySink()))
      .rejects.toBeInstanceOf(CredentialRejectedError);

    const answering = (status: number, headers: Record<string, string>, message: string): ProviderFetch => () =>
      Promise.resolve(new Response(JSON.stringify({ message }), { status, headers: { 'content-type': 'application/json', ...headers } }));
    const limited = setup({ inner: answering(403, { 'x-ratelimit-remaining': '0', 'retry-after': '7' }, 'API rate limit exceeded for user ID 1.') });
    const error = await limited.adapter.exportMetadata('acme/repo-0001', only, new MemorySink()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamRateLimitedError);
    expect((error as UpstreamRateLimitedError).retryAfterMs).toBe(7000);
    await expect(setup({ inner: answering(429, {}, 'slow down') }).adapter.exportMetadata('acme/repo-0001', only, new MemorySink()))
      .rejects.toBeInstanceOf(UpstreamRateLimitedError);
    await expect(setup({ inner: answering(502, {}, 'Server Error') }).adapter.exportMetadata('acme/repo-0001', only, new MemorySink()))
      .rejects.toBeInstanceOf(UpstreamUnavailableError);
  });

  it('stops between pages when the signal is aborted', async () => {
    const controller = new AbortController();
    const timeline: string[] = [];
    const { adapter, requests } = setup({ timeline });
    const sink = new MemorySink(timeline, () => controller.abort(new Error('job cancelled')));
    await expect(adapter.exportMetadata('acme/meta-big', { kinds: ALL, assets: true, signal: controller.signal }, sink)).rejects.toThrow('job cancelled');
    expect(requests).toHaveLength(1); // the first page of issues, and nothing after the abort
    expect(sink.of('issues').length).toBeGreaterThan(1); // the page already read is written out

    const aborted = AbortSignal.abort();
    const idle = setup();
    await expect(idle.adapter.exportMetadata('acme/repo-0001', { kinds: ALL, assets: false, signal: aborted }, new MemorySink())).rejects.toThrow();
    expect(idle.requests).toHaveLength(0);
  });

  it('refuses a malformed repository name or an unknown kind without calling GitHub', async () => {
    const { adapter, requests } = setup();
    await expect(adapter.exportMetadata('acme', { kinds: ALL, assets: false }, new MemorySink())).rejects.toThrow(/owner\/name/);
    await expect(adapter.exportMetadata('acme/repo-0001', { kinds: ['wikis' as MetadataKind], assets: false }, new MemorySink())).rejects.toThrow(/unknown metadata kinds: wikis/);
    expect(requests).toHaveLength(0);
  });
});
