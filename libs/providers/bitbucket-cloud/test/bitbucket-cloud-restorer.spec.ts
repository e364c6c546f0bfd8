import {
  METADATA_KINDS, type MetadataKind, type ProviderFetch, RestoreForbiddenError, RestoreTargetExistsError, type RestoreTargetRepository, createEgressFetch, stripRestoreAttribution,
  withAuthorization,
} from '@repovault/providers/core';
import { type RunningSimulator, type SeedConfig, startSimulator } from '@repovault/testing/provider-simulator';
import {
  KillableFetch, MemoryRestoreLedger, RecordingProgress, SnapshotCapture, loadSpec, mirrorGitForRestore, restoreContext, skippedBanner, undocumented,
} from '@repovault/testing/support';
import {
  BITBUCKET_CLOUD_EXPORT_FIELDS, BITBUCKET_CLOUD_RESTORE_CAPABILITIES, BitbucketCloudAdapter, BitbucketCloudRestorer, bitbucketCloudApiBaseUrl, bitbucketCloudAuthorization,
  bitbucketCloudGitAuthorization,
} from '../src';

type Json = Record<string, unknown>;

const WRITE_SCOPES = [
  'read:user:bitbucket', 'read:workspace:bitbucket', 'read:repository:bitbucket', 'write:repository:bitbucket', 'admin:repository:bitbucket',
  'read:pullrequest:bitbucket', 'write:pullrequest:bitbucket', 'read:issue:bitbucket', 'write:issue:bitbucket',
];

/** Workspace `ws` (owner alice, writer token; dave a member with a read-only token), a source repository with everything Bitbucket Cloud keeps. */
function restoreSeed(): SeedConfig {
  return {
    seed: 'bitbucket-cloud-restorer',
    users: [],
    organizations: [],
    bitbucketCloud: {
      users: [
        { login: 'alice', tokens: [{ name: 'bbc-restorer', scopes: WRITE_SCOPES }] },
        { login: 'dave', tokens: [{ name: 'bbc-dave' }] },
      ],
      workspaces: [
        {
          slug: 'ws',
          owners: ['alice'],
          members: ['dave'],
          issueTrackerEvery: 1,
          repositories: [{ name: 'source', lfsObjects: 2, wiki: true, branches: 4, tags: 2, metadata: { issues: 3, pulls: 3, commentsPerIssue: 2, reviewCommentsPerPull: 2, releases: 1, assetsPerRelease: 2 } }],
        },
      ],
    },
  };
}

const KINDS: MetadataKind[] = ['pull-requests', 'review-comments', 'issues', 'issue-comments', 'release-assets'];
const FILTERABLE = new Set(['/repositories/{workspace}/{repo_slug}/issues', '/repositories/{workspace}/{repo_slug}/pullrequests']);

describe('BitbucketCloudRestorer against the simulator', () => {
  let sim: RunningSimulator;
  let apiBaseUrl: string;
  let snapshot: SnapshotCapture;
  let killable: KillableFetch;
  let restorer: BitbucketCloudRestorer;
  let target: RestoreTargetRepository;
  const token = (name: string): string => sim.tokens[name] ?? '';
  const transport = (name: string, email: string): ProviderFetch =>
    withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), bitbucketCloudAuthorization(token(name), email, 'api-token'), [new URL(apiBaseUrl).origin]);

  async function exportOf(fullName: string): Promise<SnapshotCapture> {
    const capture = new SnapshotCapture();
    await new BitbucketCloudAdapter({ apiBaseUrl, fetch: transport('bbc-restorer', 'alice@example.com') }).exportMetadata(fullName, { kinds: METADATA_KINDS, assets: true }, capture);
    return capture;
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: restoreSeed() });
    apiBaseUrl = bitbucketCloudApiBaseUrl(sim.bitbucketCloud.apiUrl);
    const post = (path: string, body: Json) => transport('bbc-restorer', 'alice@example.com')(`${apiBaseUrl}/repositories/ws/source/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // an issue whose text points at the other issue and at a pull request, and a reply to a pull request comment
    const issues = (await (await transport('bbc-restorer', 'alice@example.com')(`${apiBaseUrl}/repositories/ws/source/issues?sort=id`)).json()) as { values: Json[] };
    const pulls = (await (await transport('bbc-restorer', 'alice@example.com')(`${apiBaseUrl}/repositories/ws/source/pullrequests?state=OPEN&state=MERGED&state=DECLINED`)).json()) as { values: Json[] };
    await post('issues', { title: 'Follow-up', content: { raw: `See #${String(issues.values[0]?.['id'])} and #${String(pulls.values[0]?.['id'])}.` }, kind: 'task' });
    const comments = (await (await transport('bbc-restorer', 'alice@example.com')(`${apiBaseUrl}/repositories/ws/source/pullrequests/${String(pulls.values[0]?.['id'])}/comments`)).json()) as { values: Json[] };
    await post(`pullrequests/${String(pulls.values[0]?.['id'])}/comments`, { content: { raw: 'A reply' }, parent: { id: comments.values[0]?.['id'] } });
    snapshot = await exportOf('ws/source');
    killable = new KillableFetch(transport('bbc-restorer', 'alice@example.com'));
    restorer = new BitbucketCloudRestorer({ apiBaseUrl, fetch: killable.fetch });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates an empty repository with a wiki and an issue tracker, and says when the name is taken or the credential may not', async () => {
    expect(await restorer.findRepository('ws', 'source-restored')).toBeNull();
    target = await restorer.createRepository({ owner: 'ws', name: 'source-restored', private: true, description: 'Restored', wiki: true, issues: true });
    expect(target).toMatchObject({ owner: 'ws', name: 'source-restored', fullName: 'ws/source-restored', empty: true });
    expect(target.cloneUrl).toBe(`${sim.bitbucketCloud.gitUrl}/ws/source-restored.git`);
    expect(target.wikiUrl).toBe(`${sim.bitbucketCloud.gitUrl}/ws/source-restored.git/wiki`);
    await expect(restorer.createRepository({ owner: 'ws', name: 'source-restored', private: true, description: null, wiki: false, issues: false })).rejects.toBeInstanceOf(RestoreTargetExistsError);
    const reader = new BitbucketCloudRestorer({ apiBaseUrl, fetch: transport('bbc-dave', 'dave@example.com') });
    await expect(reader.createRepository({ owner: 'ws', name: 'x', private: true, description: null, wiki: false, issues: false })).rejects.toBeInstanceOf(RestoreForbiddenError);
  });

  it('restores pull requests, comments (replies under their parents), issues and downloads, surviving kills without duplicates', async () => {
    const auth = bitbucketCloudGitAuthorization(token('bbc-restorer'), 'api-token');
    const git = await mirrorGitForRestore({ from: { url: `${sim.bitbucketCloud.gitUrl}/ws/source.git`, authorization: auth }, to: { url: target.cloneUrl, authorization: auth }, capabilities: BITBUCKET_CLOUD_RESTORE_CAPABILITIES });
    expect(git.stagedRefs.size).toBe(0);
    await restorer.setDefaultBranch({ ...target, defaultBranch: null }, 'main');
    const targetRefs = sim.repository('ws', 'source-restored').refs;
    expect(targetRefs).toEqual(sim.repository('ws', 'source').refs);
    const ledger = new MemoryRestoreLedger();
    // every attempt reports afresh (the worker keeps the counts of the attempt that finished)
    const context = (attempt: RecordingProgress) => restoreContext({ kinds: KINDS, source: { fullName: 'ws/source' }, target, snapshot, ledger, progress: attempt, targetRefs });
    const progress = new RecordingProgress();
    killable.killAtWrite(4, 'after');
    await expect(restorer.restoreMetadata(context(new RecordingProgress()))).rejects.toThrow('simulated kill');
    expect(ledger.pending()).toHaveLength(1);
    killable.killAtWrite(11, 'before');
    await expect(restorer.restoreMetadata(context(new RecordingProgress()))).rejects.toThrow('simulated kill');
    killable.disarm();
    await restorer.restoreMetadata(context(progress));
    expect(ledger.pending()).toEqual([]);
    expect(progress.failures).toEqual([]);

    const restored = await exportOf('ws/source-restored');
    for (const kind of KINDS) expect({ kind, count: restored.of(kind).length }).toEqual({ kind, count: snapshot.of(kind).length });
    // the finishing attempt reports everything in the target, what earlier attempts wrote included
    for (const kind of KINDS) expect({ kind, restored: progress.restoredCounts.get(kind) ?? 0 }).toEqual({ kind, restored: snapshot.of(kind).length });
    const notOpen = snapshot.of('pull-requests').filter((p) => p['state'] === 'MERGED').length;
    expect(progress.notRestoredCount('pull-request-state')).toBe(notOpen);
    const approvals = snapshot.of('pull-requests').flatMap((p) => p['participants'] as Json[]).filter((x) => x['approved'] === true || x['state'] === 'changes_requested').length;
    expect(approvals).toBeGreaterThan(0);
    expect(progress.notRestoredCount('approvals')).toBe(approvals);

    const writes = killable.requests.filter((r) => r.method !== 'GET').length;
    await restorer.restoreMetadata(restoreContext({ kinds: KINDS, source: { fullName: 'ws/source' }, target, snapshot, ledger, targetRefs }));
    expect(killable.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  }, 120_000);

  it('keeps titles, texts, states and kinds, inline positions, replies, and download bytes; references point at the new numbers', async () => {
    const restored = await exportOf('ws/source-restored');
    const pulls = new Map(restored.of('pull-requests').map((p) => [String(p['title']), p]));
    const numbers = new Map<number, number>();
    for (const source of snapshot.of('pull-requests')) {
      const copy = pulls.get(String(source['title']));
      numbers.set(Number(source['id']), Number(copy?.['id']));
      const branch = (p: Json | undefined, end: string) => ((p?.[end] as Json)['branch'] as Json)['name'];
      expect({ state: copy?.['state'], source: branch(copy, 'source'), destination: branch(copy, 'destination'), draft: copy?.['draft'] })
        .toEqual({ state: source['state'] === 'OPEN' ? 'OPEN' : 'DECLINED', source: branch(source, 'source'), destination: branch(source, 'destination'), draft: source['draft'] });
      expect(stripRestoreAttribution(String(copy?.['description']))).toBe(source['description']);
    }
    const issues = new Map(restored.of('issues').map((i) => [String(i['title']), i]));
    for (const source of snapshot.of('issues')) {
      const copy = issues.get(String(source['title']));
      numbers.set(Number(source['id']), Number(copy?.['id']));
      expect({ state: copy?.['state'], kind: copy?.['kind'] }).toEqual({ state: source['state'], kind: source['kind'] });
    }
    const followUp = snapshot.of('issues').find((i) => i['title'] === 'Follow-up');
    const refs = /See #(\d+) and #(\d+)\./.exec(String((followUp?.['content'] as Json)['raw']));
    expect(stripRestoreAttribution(String((issues.get('Follow-up')?.['content'] as Json)['raw']))).toBe(`See #${String(numbers.get(Number(refs?.[1])))} and #${String(numbers.get(Number(refs?.[2])))}.`);

    const comments = (capture: SnapshotCapture, kind: MetadataKind) =>
      capture.of(kind).map((c) => `${stripRestoreAttribution(String((c['content'] as Json)['raw']))}|${JSON.stringify(c['inline'] ?? null)}|${c['parent'] ? 'reply' : 'top'}`).sort();
    expect(comments(restored, 'review-comments')).toEqual(comments(snapshot, 'review-comments'));
    expect(comments(restored, 'issue-comments')).toEqual(comments(snapshot, 'issue-comments'));
    const downloads = (capture: SnapshotCapture) => capture.of('release-assets').map((d) => `${String(d['name'])}:${String(d[BITBUCKET_CLOUD_EXPORT_FIELDS.sha256])}`).sort();
    expect(downloads(restored)).toEqual(downloads(snapshot));
  });

  it("sends only requests Bitbucket Cloud's description documents", () => {
    const spec = loadSpec('bitbucket-cloud.openapi.json');
    if (!spec) {
      skippedBanner('bitbucket-cloud.openapi.json', 'Every request of the Bitbucket Cloud restorer');
      return;
    }
    const api = new URL(apiBaseUrl);
    const problems = killable.requests.map((r) => {
      const url = new URL(r.url);
      return undocumented(spec, r.method, url.pathname.slice(api.pathname.length), [...url.searchParams.keys()], (t) => ['page', 'pagelen', ...(FILTERABLE.has(t) ? ['q', 'sort'] : [])]);
    });
    expect(problems.filter((p) => p !== null)).toEqual([]);
    expect(new Set(killable.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${new URL(r.url).pathname.replace(/\/\d+(?=\/|$)/g, '/{id}')}`)).size).toBeGreaterThanOrEqual(8);
  });
});
