import {
  METADATA_KINDS, type MetadataKind, type ProviderFetch, RestoreForbiddenError, RestoreTargetExistsError, type RestoreTargetRepository, createEgressFetch, stripRestoreAttribution,
  withAuthorization,
} from '@repovault/providers/core';
import { type RunningSimulator, type SeedConfig, startSimulator } from '@repovault/testing/provider-simulator';
import {
  KillableFetch, MemoryRestoreLedger, RecordingProgress, SnapshotCapture, loadSpec, mirrorGitForRestore, restoreContext, skippedBanner, undocumented,
} from '@repovault/testing/support';
import { BITBUCKET_DC_RESTORE_CAPABILITIES, BitbucketDcAdapter, BitbucketDcRestorer, bitbucketDcApiBaseUrl, bitbucketDcAuthorization, bitbucketDcGitAuthorization } from '../src';

type Json = Record<string, unknown>;

/** Project ENG: admin alice (PROJECT_ADMIN token), reader bob; a source repository with pull requests, comments and reviews. */
function restoreSeed(): SeedConfig {
  return {
    seed: 'bitbucket-dc-restorer',
    users: [],
    organizations: [],
    bitbucketDc: {
      users: [
        { login: 'alice', tokens: [{ name: 'bbdc-restorer', permissions: ['PROJECT_ADMIN', 'REPO_ADMIN'] }] },
        { login: 'bob', tokens: [{ name: 'bbdc-bob' }] },
      ],
      projects: [
        {
          key: 'ENG',
          owners: ['alice'],
          members: ['bob'],
          repositories: [{ name: 'source', lfsObjects: 2, branches: 5, tags: 2, metadata: { issues: 0, pulls: 3, commentsPerIssue: 2, reviewCommentsPerPull: 2, reviewsPerPull: 1 } }],
        },
      ],
    },
  };
}

const KINDS: MetadataKind[] = ['pull-requests', 'review-comments', 'reviews'];

describe('BitbucketDcRestorer against the simulator', () => {
  let sim: RunningSimulator;
  let apiBaseUrl: string;
  let snapshot: SnapshotCapture;
  let killable: KillableFetch;
  let restorer: BitbucketDcRestorer;
  let target: RestoreTargetRepository;
  let later: number;
  const token = (name: string): string => sim.tokens[name] ?? '';
  const transport = (name: string): ProviderFetch => withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), bitbucketDcAuthorization(token(name)), [new URL(apiBaseUrl).origin]);

  async function exportOf(fullName: string): Promise<SnapshotCapture> {
    const capture = new SnapshotCapture();
    await new BitbucketDcAdapter({ apiBaseUrl, fetch: transport('bbdc-restorer') }).exportMetadata(fullName, { kinds: METADATA_KINDS, assets: true }, capture);
    return capture;
  }

  async function call(method: string, path: string, body: Json): Promise<Json> {
    const res = await transport('bbdc-restorer')(`${apiBaseUrl}/projects/ENG/repos/source/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as Json;
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: restoreSeed() });
    apiBaseUrl = bitbucketDcApiBaseUrl(sim.bitbucketDc.baseUrl);
    // a pull request created after the others, an older one whose description points at it, and a reply
    const pulls = ((await (await transport('bbdc-restorer')(`${apiBaseUrl}/projects/ENG/repos/source/pull-requests?state=ALL&order=OLDEST`)).json()) as { values: Json[] }).values;
    const used = new Set(pulls.map((p) => String((p['fromRef'] as Json)['id'])));
    const free = Object.keys(sim.repository('ENG', 'source').refs).find((r) => r.startsWith('refs/heads/') && r !== 'refs/heads/main' && !used.has(r)) ?? '';
    const ref = (id: string) => ({ id, repository: { slug: 'source', project: { key: 'ENG' } } });
    later = Number((await call('POST', 'pull-requests', { title: 'Later change', description: 'New', fromRef: ref(free), toRef: ref('refs/heads/main') }))['id']);
    const open = pulls.find((p) => p['state'] === 'OPEN') ?? pulls[0];
    await call('PUT', `pull-requests/${String(open?.['id'])}`, { version: 0, description: `Superseded by #${later}.` });
    const comment = await call('POST', `pull-requests/${String(open?.['id'])}/comments`, { text: 'Thread start' });
    await call('POST', `pull-requests/${String(open?.['id'])}/comments`, { text: 'A reply', parent: { id: comment['id'] } });
    snapshot = await exportOf('ENG/source');
    killable = new KillableFetch(transport('bbdc-restorer'));
    restorer = new BitbucketDcRestorer({ apiBaseUrl, fetch: killable.fetch });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates an empty repository in the project, and says when the name is taken or the token may not', async () => {
    expect(await restorer.findRepository('ENG', 'source-restored')).toBeNull();
    target = await restorer.createRepository({ owner: 'ENG', name: 'source-restored', private: true, description: null, wiki: false, issues: false });
    expect(target).toMatchObject({ owner: 'ENG', name: 'source-restored', fullName: 'ENG/source-restored', empty: true, wikiUrl: null, defaultBranch: null });
    expect(target.cloneUrl).toBe(`${sim.bitbucketDc.baseUrl}/scm/eng/source-restored.git`);
    await expect(restorer.createRepository({ owner: 'ENG', name: 'source-restored', private: true, description: null, wiki: false, issues: false })).rejects.toBeInstanceOf(RestoreTargetExistsError);
    const reader = new BitbucketDcRestorer({ apiBaseUrl, fetch: transport('bbdc-bob') });
    await expect(reader.createRepository({ owner: 'ENG', name: 'x', private: true, description: null, wiki: false, issues: false })).rejects.toBeInstanceOf(RestoreForbiddenError);
  });

  it('restores pull requests and their comments (replies and line comments too), surviving kills without duplicates; reviews are reported', async () => {
    const auth = bitbucketDcGitAuthorization(token('bbdc-restorer'));
    const git = await mirrorGitForRestore({ from: { url: `${sim.bitbucketDc.baseUrl}/scm/eng/source.git`, authorization: auth }, to: { url: target.cloneUrl, authorization: auth }, capabilities: BITBUCKET_DC_RESTORE_CAPABILITIES });
    expect([...git.stagedRefs.keys()].every((r) => /^refs\/pull-requests\/\d+\/from$/.test(r))).toBe(true);
    await restorer.setDefaultBranch(target, 'main');
    expect((await restorer.findRepository('ENG', 'source-restored'))?.defaultBranch).toBe('main');
    const targetRefs = sim.repository('ENG', 'source-restored').refs;
    const ledger = new MemoryRestoreLedger();
    // every attempt reports afresh (the worker keeps the counts of the attempt that finished)
    const context = (attempt: RecordingProgress) => restoreContext({ kinds: KINDS, source: { fullName: 'ENG/source' }, target, snapshot, ledger, progress: attempt, targetRefs, stagedRefs: git.stagedRefs });
    const progress = new RecordingProgress();
    killable.killAtWrite(3, 'after');
    await expect(restorer.restoreMetadata(context(new RecordingProgress()))).rejects.toThrow('simulated kill');
    expect(ledger.pending()).toHaveLength(1);
    killable.killAtWrite(6, 'before');
    await expect(restorer.restoreMetadata(context(new RecordingProgress()))).rejects.toThrow('simulated kill');
    killable.disarm();
    const result = await restorer.restoreMetadata(context(progress));
    expect(ledger.pending()).toEqual([]);
    expect(progress.failures).toEqual([]);
    expect(result.keepStagedRefs).toEqual([]);

    const restored = await exportOf('ENG/source-restored');
    for (const kind of ['pull-requests', 'review-comments'] as const) expect({ kind, count: restored.of(kind).length }).toEqual({ kind, count: snapshot.of(kind).length });
    // the finishing attempt reports everything in the target, what earlier attempts wrote included
    for (const kind of ['pull-requests', 'review-comments'] as const) expect({ kind, restored: progress.restoredCounts.get(kind) ?? 0 }).toEqual({ kind, restored: snapshot.of(kind).length });
    expect(restored.of('reviews')).toEqual([]);
    expect(progress.notRestoredCount('reviews')).toBe(snapshot.of('reviews').length);
    expect(progress.notRestoredCount('pull-request-state')).toBe(snapshot.of('pull-requests').filter((p) => p['state'] === 'MERGED').length);

    const writes = killable.requests.filter((r) => r.method !== 'GET').length;
    await restorer.restoreMetadata(restoreContext({ kinds: KINDS, source: { fullName: 'ENG/source' }, target, snapshot, ledger, targetRefs, stagedRefs: git.stagedRefs }));
    expect(killable.requests.filter((r) => r.method !== 'GET').length).toBe(writes);
  }, 120_000);

  it('keeps titles, texts, branches and states; comments keep their lines and replies; references point at the new numbers', async () => {
    const restored = await exportOf('ENG/source-restored');
    const byTitle = new Map(restored.of('pull-requests').map((p) => [String(p['title']), p]));
    const numbers = new Map<number, number>();
    for (const source of snapshot.of('pull-requests')) {
      const copy = byTitle.get(String(source['title']));
      numbers.set(Number(source['id']), Number(copy?.['id']));
      const branch = (p: Json | undefined, end: string) => (p?.[end] as Json)['displayId'];
      expect({ state: copy?.['state'], from: branch(copy, 'fromRef'), to: branch(copy, 'toRef') }).toEqual({ state: source['state'] === 'OPEN' ? 'OPEN' : 'DECLINED', from: branch(source, 'fromRef'), to: branch(source, 'toRef') });
    }
    const superseded = restored.of('pull-requests').find((p) => String(p['description']).includes('Superseded by'));
    expect(stripRestoreAttribution(String(superseded?.['description']))).toBe(`Superseded by #${String(numbers.get(later))}.`);
    const thread = (c: Json): string => `${stripRestoreAttribution(String(c['text']))}|${JSON.stringify((c['anchor'] as Json | undefined)?.['path'] ?? null)}:${String((c['anchor'] as Json | undefined)?.['line'] ?? '')}[${((c['comments'] as Json[]) ?? []).map(thread).join(',')}]`;
    const comments = (capture: SnapshotCapture) => capture.of('review-comments').map((a) => thread(a['comment'] as Json)).sort();
    expect(comments(restored)).toEqual(comments(snapshot));
    expect(comments(snapshot).some((c) => c.includes('[A reply|'))).toBe(true);
  });

  it("sends only requests Data Center's description documents", () => {
    const spec = loadSpec('bitbucket-datacenter.openapi.json');
    if (!spec) {
      skippedBanner('bitbucket-datacenter.openapi.json', 'Every request of the Data Center restorer');
      return;
    }
    const problems = killable.requests.map((r) => {
      const url = new URL(r.url);
      return undocumented(spec, r.method, url.pathname.replace(/^\/rest/, ''), [...url.searchParams.keys()], () => ['start', 'limit']);
    });
    expect(problems.filter((p) => p !== null)).toEqual([]);
  });
});
