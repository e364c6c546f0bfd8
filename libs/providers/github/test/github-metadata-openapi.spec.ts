import { existsSync, readFileSync } from 'node:fs';
import { METADATA_KINDS, createEgressFetch, withAuthorization } from '@repovault/providers/core';
import { type RunningSimulator, demoSeed, startSimulator } from '@repovault/testing/provider-simulator';
import { GitHubAdapter, githubApiBaseUrl, githubAuthorization } from '../src';
import { MemorySink, type OpenApi, type RecordedRequest, githubSpecPath, recordingFetch, templateOf, undocumented } from './metadata-test-support';

const specPath = githubSpecPath();
const specPresent = existsSync(specPath);

if (!specPresent) {
  const bar = '!'.repeat(100);
  console.warn(`\n${bar}\nSKIPPED: the GitHub metadata exporter's requests were NOT checked: ${specPath} is missing.\nEvery endpoint the exporter calls is UNVERIFIED against GitHub's OpenAPI description.\n${bar}\n`);
}

(specPresent ? describe : describe.skip)("the metadata exporter's requests against GitHub's OpenAPI description", () => {
  let spec: OpenApi;
  let sim: RunningSimulator;
  let apiBaseUrl: string;

  beforeAll(async () => {
    spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApi;
    sim = await startSimulator({ seed: demoSeed() });
    apiBaseUrl = githubApiBaseUrl(sim.github.baseUrl);
    await sim.addRepository('acme', { name: 'meta-pages', metadata: { issues: 120, pulls: 2, commentsPerIssue: 1, labels: 101, releases: 2, assetsPerRelease: 2 } });
  }, 120_000);
  afterAll(() => sim?.close());

  /** Every request of full exports (every kind, asset bytes included), as the transport seam saw it. */
  async function exportRequests(): Promise<RecordedRequest[]> {
    const egress = createEgressFetch({ allowPrivateAddresses: true });
    const recorder = recordingFetch(withAuthorization(egress, githubAuthorization(sim.tokens['alice'] ?? ''), [new URL(sim.github.baseUrl).origin]));
    const adapter = new GitHubAdapter({ apiBaseUrl, fetch: recorder.fetch });
    for (const name of ['repo-0001', 'repo-0003', 'meta-pages']) {
      await adapter.exportMetadata(`acme/${name}`, { kinds: METADATA_KINDS, assets: true }, new MemorySink());
    }
    return recorder.requests;
  }

  it('makes only requests GitHub documents (method, path template, query parameters)', async () => {
    const requests = await exportRequests();
    const api = new URL(apiBaseUrl);
    const problems = requests.map((r) => {
      const url = new URL(r.url);
      expect(url.origin).toBe(api.origin);
      const path = url.pathname.slice(api.pathname.replace(/\/$/, '').length);
      return undocumented(spec, r.method, path, [...url.searchParams.keys()]);
    });
    expect(problems.filter((p) => p !== null)).toEqual([]);

    const templates = new Set(requests.map((r) => templateOf(spec, new URL(r.url).pathname.slice(api.pathname.length))));
    expect([...templates].sort()).toEqual([
      '/repos/{owner}/{repo}/issues',
      '/repos/{owner}/{repo}/issues/comments',
      '/repos/{owner}/{repo}/labels',
      '/repos/{owner}/{repo}/milestones',
      '/repos/{owner}/{repo}/pulls',
      '/repos/{owner}/{repo}/pulls/comments',
      '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
      '/repos/{owner}/{repo}/releases',
      '/repos/{owner}/{repo}/releases/assets/{asset_id}',
    ]);
    // later pages came from `link` (they carry page=): checked too
    expect(requests.some((r) => new URL(r.url).searchParams.has('page'))).toBe(true);
  });

  it('would catch an invented endpoint, a wrong method or an undocumented parameter', () => {
    expect(undocumented(spec, 'GET', '/repos/acme/web/backups', [])).toMatch(/no such path/);
    expect(undocumented(spec, 'DELETE', '/rate_limit', [])).toMatch(/no such method/);
    expect(undocumented(spec, 'GET', '/repos/acme/web/pulls', ['state', 'since'])).toMatch(/undocumented query parameters since/);
    expect(undocumented(spec, 'GET', '/repos/acme/web/issues', ['state', 'per_page', 'page', 'since'])).toBeNull();
    expect(templateOf(spec, '/repos/acme/web/issues/comments')).toBe('/repos/{owner}/{repo}/issues/comments');
  });
});
