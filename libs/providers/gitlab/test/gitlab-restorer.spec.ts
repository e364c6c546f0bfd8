import { createHash } from 'node:crypto';
import {
  METADATA_KINDS, type MetadataKind, attributionLine, type ProviderFetch, RestoreForbiddenError, RestoreTargetExistsError, type RestoreTargetRepository, createEgressFetch, stripRestoreAttribution,
  withAuthorization,
} from '@repovault/providers/core';
import { GITLAB_CONTRACT, GITLAB_WRITE_CONTRACT, type RunningSimulator, type SeedConfig, matchGitlabContract, matchGitlabWriteContract, startSimulator } from '@repovault/testing/provider-simulator';
import { KillableFetch, MemoryRestoreLedger, RecordingProgress, SnapshotCapture, mirrorGitForRestore, restoreContext } from '@repovault/testing/support';
import { GITLAB_EXPORT_FIELDS, GITLAB_RESTORE_CAPABILITIES, GitLabAdapter, GitLabRestorer, gitlabApiBaseUrl, gitlabAuthorization, gitlabGitAuthorization } from '../src';

type Json = Record<string, unknown>;

/** Group `acme` with a full source project; group `restores` to restore into; bob can read but not write. */
function restoreSeed(): SeedConfig {
  return {
    seed: 'gitlab-restorer',
    users: [],
    organizations: [],
    gitlab: {
      users: [
        { username: 'alice', tokens: [{ name: 'gl-restorer', scopes: ['api'] }] },
        { username: 'bob', tokens: [{ name: 'gl-bob-reader', scopes: ['read_api', 'read_repository'] }] },
      ],
      groups: [
        {
          path: 'acme',
          owners: ['alice'],
          members: ['bob'],
          projects: [
            {
              name: 'source', lfsObjects: 2, wiki: true, branches: 4, tags: 2,
              metadata: { issues: 4, pulls: 3, commentsPerIssue: 2, reviewCommentsPerPull: 2, releases: 2, assetsPerRelease: 2, labels: 3, milestones: 2 },
            },
          ],
        },
        { path: 'restores', owners: ['alice'], members: ['bob'] },
      ],
    },
  };
}

const RESTORED_KINDS: MetadataKind[] = ['labels', 'milestones', 'issues', 'issue-comments', 'pull-requests', 'review-comments', 'releases', 'release-assets'];

describe('GitLabRestorer against the simulator', () => {
  let sim: RunningSimulator;
  let apiBaseUrl: string;
  let snapshot: SnapshotCapture;
  let killable: KillableFetch;
  let restorer: GitLabRestorer;
  let target: RestoreTargetRepository;
  let mr: number;
  let firstIssue: number;
  const token = (name: string): string => sim.tokens[name] ?? '';
  const transport = (name: string): ProviderFetch => withAuthorization(createEgressFetch({ allowPrivateAddresses: true }), gitlabAuthorization(token(name)), [new URL(apiBaseUrl).origin]);

  async function exportOf(projectPath: string): Promise<SnapshotCapture> {
    const capture = new SnapshotCapture();
    await new GitLabAdapter({ apiBaseUrl, fetch: transport('gl-restorer') }).exportMetadata(projectPath, { kinds: METADATA_KINDS, assets: true }, capture);
    return capture;
  }

  async function call(method: string, path: string, body: Json): Promise<Json> {
    const res = await transport('gl-restorer')(`${apiBaseUrl}/${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as Json;
  }

  beforeAll(async () => {
    sim = await startSimulator({ seed: restoreSeed() });
    apiBaseUrl = gitlabApiBaseUrl(sim.gitlab.baseUrl);
    // texts with references: an issue pointing at a merge request (created after it by the restore) and a note pointing at both
    const list = async (kind: string): Promise<Json[]> => (await (await transport('gl-restorer')(`${apiBaseUrl}/projects/acme%2Fsource/${kind}?state=all&sort=asc`)).json()) as Json[];
    mr = Number((await list('merge_requests'))[0]?.['iid']);
    firstIssue = Number((await list('issues'))[0]?.['iid']);
    const issue = await call('POST', 'projects/acme%2Fsource/issues', { title: 'Follow-up', description: `Done in !${mr}, see also #${firstIssue}, #99 and \`#${firstIssue}\` in code.` });
    sim.gitlab.addNote('acme/source', 'issue', Number(issue['iid']), `Duplicate of #${firstIssue}, fixed by !${mr}.`);
    snapshot = await exportOf('acme/source');
    killable = new KillableFetch(transport('gl-restorer'));
    restorer = new GitLabRestorer({ apiBaseUrl, fetch: killable.fetch });
  }, 120_000);
  afterAll(async () => {
    await sim?.close();
  });

  it('creates an empty private project in the target group, and says when the name is taken or the credential may not', async () => {
    expect(await restorer.findRepository('restores', 'source-restored')).toBeNull();
    target = await restorer.createRepository({ owner: 'restores', name: 'source-restored', private: true, description: 'Restored', wiki: true, issues: true });
    expect(target).toMatchObject({ owner: 'restores', name: 'source-restored', fullName: 'restores/source-restored', empty: true, defaultBranch: 'main' });
    expect(target.cloneUrl).toBe(`${sim.gitlab.baseUrl}/restores/source-restored.git`);
    expect(target.wikiUrl).toBe(`${sim.gitlab.baseUrl}/restores/source-restored.wiki.git`);
    expect(await restorer.findRepository('restores', 'source-restored')).toEqual(target);
    await expect(restorer.createRepository({ owner: 'restores', name: 'source-restored', private: true, description: null, wiki: false, issues: true })).rejects.toBeInstanceOf(RestoreTargetExistsError);
    const reader = new GitLabRestorer({ apiBaseUrl, fetch: transport('gl-bob-reader') });
    await expect(reader.createRepository({ owner: 'restores', name: 'x', private: true, description: null, wiki: false, issues: true })).rejects.toBeInstanceOf(RestoreForbiddenError);
    await expect(restorer.createRepository({ owner: 'no-such-group', name: 'x', private: true, description: null, wiki: false, issues: true })).rejects.toBeInstanceOf(RestoreForbiddenError);
  });

  it('restores every kind GitLab can write, surviving kills before and after a write without duplicating anything', async () => {
    const git = await mirrorGitForRestore({
      from: { url: `${sim.gitlab.baseUrl}/acme/source.git`, authorization: gitlabGitAuthorization(token('gl-restorer')) },
      to: { url: target.cloneUrl, authorization: gitlabGitAuthorization(token('gl-restorer')) },
      capabilities: GITLAB_RESTORE_CAPABILITIES,
    });
    expect([...git.stagedRefs.keys()].every((r) => r.startsWith('refs/merge-requests/'))).toBe(true);
    await restorer.setDefaultBranch(target, 'main'); // already the default: no request
    await restorer.setDefaultBranch({ ...target, defaultBranch: null }, 'main');
    const targetRefs = sim.repository('restores', 'source-restored').refs;
    const ledger = new MemoryRestoreLedger();
    // every attempt reports afresh (the worker keeps the counts of the attempt that finished)
    const context = (attempt: RecordingProgress) => restoreContext({ kinds: RESTORED_KINDS, source: { fullName: 'acme/source' }, target, snapshot, ledger, progress: attempt, targetRefs, stagedRefs: git.stagedRefs });
    const progress = new RecordingProgress();

    killable.killAtWrite(9, 'after'); // the provider has the 9th write, the ledger does not know
    await expect(restorer.restoreMetadata(context(new RecordingProgress()))).rejects.toThrow('simulated kill');
    expect(ledger.pending()).toHaveLength(1);
    killable.killAtWrite(14, 'before'); // started again, killed before its 14th write leaves
    await expect(restorer.restoreMetadata(context(new RecordingProgress()))).rejects.toThrow('simulated kill');
    killable.disarm();
    const result = await restorer.restoreMetadata(context(progress));
    expect(ledger.pending()).toEqual([]);
    expect(progress.failures).toEqual([]);

    const restored = await exportOf('restores/source-restored');
    for (const kind of RESTORED_KINDS) expect({ kind, count: restored.of(kind).length }).toEqual({ kind, count: snapshot.of(kind).length });
    // the finishing attempt reports everything in the target, what earlier attempts wrote included
    for (const kind of RESTORED_KINDS) expect({ kind, restored: progress.restoredCounts.get(kind) ?? 0 }).toEqual({ kind, restored: snapshot.of(kind).length });

    const merged = snapshot.of('pull-requests').filter((m) => m['state'] === 'merged').length;
    expect(progress.notRestoredCount('pull-request-state')).toBe(merged);
    expect(result.keepStagedRefs).toEqual([]);

    // a run after completion writes nothing
    const writesBefore = killable.requests.filter((r) => r.method !== 'GET').length;
    await restorer.restoreMetadata(restoreContext({ kinds: RESTORED_KINDS, source: { fullName: 'acme/source' }, target, snapshot, ledger, targetRefs, stagedRefs: git.stagedRefs }));
    expect(killable.requests.filter((r) => r.method !== 'GET').length).toBe(writesBefore);
  }, 120_000);

  it('keeps contents, states, authors (in text) and dates, remapping references to the new numbers', async () => {
    const restored = await exportOf('restores/source-restored');
    const byTitle = (records: Json[]) => new Map(records.map((r) => [String(r['title']), r]));
    const mergeRequests = byTitle(restored.of('pull-requests'));
    const issues = byTitle(restored.of('issues'));
    const iidMap = new Map<string, number>();
    for (const source of snapshot.of('pull-requests')) {
      const copy = mergeRequests.get(String(source['title']));
      expect(copy).toBeDefined();
      iidMap.set(`!${String(source['iid'])}`, Number(copy?.['iid']));
      expect({ state: copy?.['state'], source: copy?.['source_branch'], target: copy?.['target_branch'], labels: copy?.['labels'], draft: copy?.['draft'] })
        .toEqual({ state: source['state'] === 'merged' ? 'closed' : source['state'], source: source['source_branch'], target: source['target_branch'], labels: source['labels'], draft: source['draft'] });
      expect(stripRestoreAttribution(String(copy?.['description']))).toBe(source['description']);
      const attribution = attributionLine({ author: String((source['author'] as Json)['username']), createdAt: String(source['created_at']), original: `acme/source!${String(source['iid'])}` });
      expect(String(copy?.['description']).split('\n')[0]).toBe(attribution);
    }
    for (const source of snapshot.of('issues')) {
      const copy = issues.get(String(source['title']));
      iidMap.set(`#${String(source['iid'])}`, Number(copy?.['iid']));
      expect({ state: copy?.['state'], labels: copy?.['labels'], milestone: (copy?.['milestone'] as Json | null)?.['title'] ?? null })
        .toEqual({ state: source['state'], labels: source['labels'], milestone: (source['milestone'] as Json | null)?.['title'] ?? null });
    }
    const followUp = issues.get('Follow-up');
    const mapped = (key: string): string => String(iidMap.get(key));
    expect(stripRestoreAttribution(String(followUp?.['description']))).toBe(`Done in !${mapped(`!${mr}`)}, see also #${mapped(`#${firstIssue}`)}, acme/source#99 and \`#${firstIssue}\` in code.`);
    const note = restored.of('issue-comments').find((n) => String(n['body']).includes('Duplicate of'));
    expect(stripRestoreAttribution(String(note?.['body']))).toBe(`Duplicate of #${mapped(`#${firstIssue}`)}, fixed by !${mapped(`!${mr}`)}.`);

    // diff notes stay diff notes on the same file and line
    const diffNotes = (records: Json[]) => records.filter((n) => n['type'] === 'DiffNote').map((n) => `${String((n['position'] as Json)['new_path'])}:${String((n['position'] as Json)['new_line'])}:${stripRestoreAttribution(String(n['body']))}`).sort();
    expect(diffNotes(restored.of('review-comments'))).toEqual(diffNotes(snapshot.of('review-comments')));
    const milestones = (records: Json[]) => records.map((m) => `${String(m['title'])}:${String(m['state'])}:${String(m['due_date'])}`).sort();
    expect(milestones(restored.of('milestones'))).toEqual(milestones(snapshot.of('milestones')));
    const releases = (records: Json[]) => records.map((r) => `${String(r['tag_name'])}:${String(r['released_at'])}:${stripRestoreAttribution(String(r['description']))}`).sort();
    expect(releases(restored.of('releases'))).toEqual(releases(snapshot.of('releases')));
  });

  it('uploads the bytes of upload links to the target and keeps external links as they were', async () => {
    const restored = await exportOf('restores/source-restored');
    const summary = (capture: SnapshotCapture) =>
      capture.of('release-assets').map((l) => {
        const sha = l[GITLAB_EXPORT_FIELDS.sha256];
        return `${String(l[GITLAB_EXPORT_FIELDS.releaseTag])}/${String(l['name'])}:${l[GITLAB_EXPORT_FIELDS.upload] === true ? `upload ${String(sha)}` : String(l['url'])}`;
      }).sort();
    expect(summary(restored)).toEqual(summary(snapshot));
    const uploads = restored.of('release-assets').filter((l) => l[GITLAB_EXPORT_FIELDS.upload] === true);
    expect(uploads.length).toBeGreaterThan(0);
    for (const link of uploads) {
      expect(String(link['url'])).toContain(`${sim.gitlab.baseUrl}/-/project/${target.providerId}/uploads/`);
      const bytes = restored.bytes.get(String(link[GITLAB_EXPORT_FIELDS.sha256]));
      expect(createHash('sha256').update(bytes ?? Buffer.alloc(0)).digest('hex')).toBe(link[GITLAB_EXPORT_FIELDS.sha256]);
    }
  });

  it('sends only requests of the hand-written contracts, with documented parameters', () => {
    const problems = killable.requests.flatMap(({ method, url, body }) => {
      if (method === 'GET') {
        const match = matchGitlabContract(method, url);
        return !match ? [`GET ${url}: not in the contract`] : match.unknownQuery.length ? [`GET ${url}: ${match.unknownQuery.join(', ')}`] : [];
      }
      const sent = body === null ? ['file'] : Object.keys(JSON.parse(body) as Json);
      const match = matchGitlabWriteContract(method, url, sent);
      return !match ? [`${method} ${url}: not in the write contract`] : match.unknownParams.length ? [`${method} ${url}: ${match.unknownParams.join(', ')}`] : [];
    });
    expect(problems).toEqual([]);
    const used = new Set(killable.requests.filter((r) => r.method !== 'GET').map((r) => matchGitlabWriteContract(r.method, r.url, [])?.endpoint.path));
    expect(GITLAB_WRITE_CONTRACT.filter((e) => !used.has(e.path)).map((e) => `${e.method} ${e.path}`)).toEqual([]);
    expect(GITLAB_CONTRACT.length).toBeGreaterThan(0);
  });
});
