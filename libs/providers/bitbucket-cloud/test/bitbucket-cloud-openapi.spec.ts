import { METADATA_KINDS, createEgressFetch, withAuthorization } from '@repovault/providers/core';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { BitbucketCloudAdapter, bitbucketCloudApiBaseUrl, bitbucketCloudAuthorization, bitbucketCloudTokenFingerprint } from '../src';
import { MemorySink, type OpenApi, type RecordedRequest, loadSpec, recordingFetch, skippedBanner, templateOf, undocumented } from '@repovault/testing/support';

const FILE = 'bitbucket-cloud.openapi.json';
const spec = loadSpec(FILE);
if (!spec) skippedBanner(FILE, "Every request of the Bitbucket Cloud adapter");

/**
 * Query parameters Bitbucket's description documents outside the operations: `page` and `pagelen`
 * for every paginated collection (its "Pagination" chapter), `q` and `sort` for the collections its
 * "Filter and sort" chapter names.
 */
const FILTERABLE = new Set([
  '/repositories/{workspace}',
  '/repositories/{workspace}/{repo_slug}/refs',
  '/repositories/{workspace}/{repo_slug}/refs/branches',
  '/repositories/{workspace}/{repo_slug}/refs/tags',
  '/repositories/{workspace}/{repo_slug}/forks',
  '/repositories/{workspace}/{repo_slug}/issues',
  '/repositories/{workspace}/{repo_slug}/pullrequests',
]);
const documentedEverywhere = (template: string): string[] => ['page', 'pagelen', ...(FILTERABLE.has(template) ? ['q', 'sort'] : [])];

(spec ? describe : describe.skip)("the Bitbucket Cloud adapter's requests against Bitbucket Cloud's OpenAPI description", () => {
  const description = spec as OpenApi;
  let sim: RunningSimulator;
  let apiBaseUrl: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: demoSeed() });
    apiBaseUrl = bitbucketCloudApiBaseUrl(sim.bitbucketCloud.gitUrl);
    await sim.addRepository('acme-ws', { name: 'meta-pages', metadata: { issues: 120, pulls: 60, commentsPerIssue: 1, releases: 2, assetsPerRelease: 2 } });
  }, 60_000);
  afterAll(() => sim?.close());

  /** Every request of identify, access checks, listings and full exports (incremental ones too), as the seam saw them. */
  async function adapterRequests(): Promise<RecordedRequest[]> {
    const all: RecordedRequest[] = [];
    for (const [name, email] of [['bbc-alice', 'alice@example.com'], ['bbc-workspace-token', null]] as const) {
      const token = sim.tokens[name] ?? '';
      const recorder = recordingFetch(withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), bitbucketCloudAuthorization(token, email), [new URL(apiBaseUrl).origin]));
      const adapter = new BitbucketCloudAdapter({ apiBaseUrl, fetch: recorder.fetch }, { tokenFingerprint: bitbucketCloudTokenFingerprint(token, 'key') });
      const identity = await adapter.identify();
      await adapter.checkOrganizationAccess('acme-ws', identity);
      for await (const repo of adapter.listRepositories('acme-ws', { updatedSince: '2024-01-01T00:00:00Z' })) void repo;
      for (const repo of ['repo-0002', 'repo-0010', 'meta-pages']) {
        await adapter.exportMetadata(`acme-ws/${repo}`, { kinds: METADATA_KINDS, assets: true }, new MemorySink());
        await adapter.exportMetadata(`acme-ws/${repo}`, { kinds: METADATA_KINDS, assets: false, updatedSince: new Date(0).toISOString() }, new MemorySink());
      }
      all.push(...recorder.requests);
    }
    return all;
  }

  it('makes only requests Bitbucket documents (method, path template, query parameters)', async () => {
    const requests = await adapterRequests();
    const api = new URL(apiBaseUrl);
    const apiCalls = requests.filter((r) => new URL(r.url).pathname.startsWith(`${api.pathname}/`));
    // The rest are the storage host's download redirects (Location targets), which are no API calls.
    expect(requests.filter((r) => !apiCalls.includes(r)).every((r) => new URL(r.url).pathname.startsWith('/media/downloads/'))).toBe(true);
    const problems = apiCalls.map((r) => {
      const url = new URL(r.url);
      expect(url.origin).toBe(api.origin);
      return undocumented(description, r.method, url.pathname.slice(api.pathname.length), [...url.searchParams.keys()], documentedEverywhere);
    });
    expect(problems.filter((p) => p !== null)).toEqual([]);

    const templates = new Set(apiCalls.map((r) => templateOf(description, new URL(r.url).pathname.slice(api.pathname.length))));
    expect([...templates].sort()).toEqual([
      '/repositories/{workspace}',
      '/repositories/{workspace}/{repo_slug}',
      '/repositories/{workspace}/{repo_slug}/downloads',
      '/repositories/{workspace}/{repo_slug}/downloads/{filename}',
      '/repositories/{workspace}/{repo_slug}/issues',
      '/repositories/{workspace}/{repo_slug}/issues/{issue_id}/comments',
      '/repositories/{workspace}/{repo_slug}/pullrequests',
      '/repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments',
      '/user',
      '/workspaces/{workspace}',
    ]);
    // later pages came from `next` (they carry page=), incremental ones from q=: checked too
    expect(apiCalls.some((r) => new URL(r.url).searchParams.has('page'))).toBe(true);
    expect(apiCalls.some((r) => new URL(r.url).searchParams.get('q')?.startsWith('updated_on > '))).toBe(true);
    expect(apiCalls.some((r) => new URL(r.url).searchParams.getAll('state').length === 4)).toBe(true);
  }, 60_000);

  it('would catch an invented endpoint, a wrong method or an undocumented parameter', () => {
    expect(undocumented(description, 'GET', '/repositories/ws/r/backups', [], documentedEverywhere)).toMatch(/no such path/);
    expect(undocumented(description, 'DELETE', '/user', [], documentedEverywhere)).toMatch(/no such method/);
    expect(undocumented(description, 'GET', '/repositories/ws/r/downloads', ['q'], documentedEverywhere)).toMatch(/undocumented query parameters q/);
    expect(undocumented(description, 'GET', '/repositories/ws/r/pullrequests', ['state', 'pagelen', 'q', 'since'], documentedEverywhere)).toMatch(/since/);
    expect(undocumented(description, 'GET', '/repositories/ws/r/pullrequests', ['state', 'pagelen', 'page', 'q'], documentedEverywhere)).toBeNull();
  });
});
